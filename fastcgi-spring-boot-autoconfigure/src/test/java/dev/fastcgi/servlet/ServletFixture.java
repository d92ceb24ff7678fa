package dev.fastcgi.servlet;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A context with servlets written as lambdas, served through {@link FastCgiServletHandler}.
 */
final class ServletFixture implements AutoCloseable {

	final FastCgiServletContext context;

	private final FastCgiServletHandler handler;

	ServletFixture(String contextPath) {
		this.context = new FastCgiServletContext(contextPath);
		this.handler = new FastCgiServletHandler(this.context);
	}

	ServletRegistration.Dynamic servlet(String name, ServletBody body, String... patterns) {
		ServletRegistration.Dynamic registration = this.context.addServlet(name, new HttpServlet() {
			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response)
					throws ServletException, IOException {
				body.service(request, response);
			}
		});
		registration.addMapping(patterns);
		registration.setAsyncSupported(true);
		return registration;
	}

	ServletFixture start() throws ServletException {
		this.context.start();
		return this;
	}

	TestExchange.CgiResponse serve(TestExchange exchange) throws IOException {
		handle(exchange);
		return exchange.response();
	}

	void handle(TestExchange exchange) throws IOException {
		if (!this.context.isStarted()) {
			try {
				start();
			}
			catch (ServletException ex) {
				throw new IllegalStateException(ex);
			}
		}
		this.handler.handle(exchange);
	}

	@Override
	public void close() {
		this.context.stop();
	}

	@FunctionalInterface
	interface ServletBody {

		void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException;

	}

}
