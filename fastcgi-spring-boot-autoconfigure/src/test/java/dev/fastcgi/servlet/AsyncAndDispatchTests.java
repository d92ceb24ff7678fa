package dev.fastcgi.servlet;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncAndDispatchTests {

	private final ServletFixture fixture = new ServletFixture("/app");

	private final List<String> events = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.fixture.close();
	}

	@Test
	void asyncDispatchRunsOnTheRequestThreadAfterTheRequestDispatchReturned() throws IOException {
		this.fixture.servlet("async", (request, response) -> {
			this.events.add(request.getDispatcherType() + " " + request.isAsyncStarted());
			if (request.getDispatcherType() == DispatcherType.REQUEST) {
				AsyncContext async = request.startAsync();
				async.addListener(recordingListener());
				CompletableFuture.runAsync(async::dispatch, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
			}
			else {
				response.getWriter().print(request.getAttribute(AsyncContext.ASYNC_REQUEST_URI) + " "
						+ request.getParameter("q"));
			}
		}, "/async");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/app/async?q=1"));
		assertThat(response.bodyText()).isEqualTo("/app/async 1");
		assertThat(this.events).containsExactly("REQUEST false", "ASYNC false", "complete");
	}

	@Test
	void timeoutWithoutListenerActionAnswers500() throws IOException {
		this.fixture.context.setAsyncTimeout(java.time.Duration.ofMillis(50));
		this.fixture.servlet("slow", (request, response) -> request.startAsync().addListener(recordingListener()),
				"/slow");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/app/slow"));
		assertThat(response.status()).isEqualTo(500);
		assertThat(this.events).containsExactly("timeout", "complete");
	}

	@Test
	void webServerGoingAwayIsReportedToListeners() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		this.fixture.servlet("hang", (request, response) -> {
			request.startAsync().addListener(recordingListener());
			started.countDown();
		}, "/hang");
		TestExchange exchange = TestExchange.get("/app/hang");
		CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
			try {
				this.fixture.handle(exchange);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		exchange.abort();
		served.get(5, TimeUnit.SECONDS);
		assertThat(this.events).containsExactly("error IOException", "complete");
	}

	@Test
	void asyncIsRefusedWhenTheServletDoesNotSupportIt() throws IOException {
		this.fixture.servlet("sync", (request, response) -> {
			try {
				request.startAsync();
			}
			catch (IllegalStateException ex) {
				response.getWriter().print("refused");
			}
		}, "/sync").setAsyncSupported(false);
		assertThat(this.fixture.serve(TestExchange.get("/app/sync")).bodyText()).isEqualTo("refused");
	}

	@Test
	void forwardChangesThePathAndSetsForwardAttributes() throws IOException {
		this.fixture.servlet("from", (request, response) -> {
			response.getWriter().print("lost");
			request.getRequestDispatcher("to/target%20x?extra=2").forward(request, response);
			response.getWriter().print("ignored after forward");
		}, "/from/*");
		this.fixture.servlet("to", (request, response) -> response.getWriter()
			.print(request.getDispatcherType() + " " + request.getRequestURI() + " " + request.getServletPath() + " "
					+ request.getPathInfo() + " " + request.getQueryString() + " "
					+ String.join(",", request.getParameterValues("extra")) + " "
					+ request.getAttribute("jakarta.servlet.forward.request_uri") + " "
					+ request.getAttribute("jakarta.servlet.forward.query_string")), "/from/to/*");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/app/from/page?extra=1"));
		assertThat(response.bodyText())
			.isEqualTo("FORWARD /app/from/to/target%20x /from/to /target x extra=2 2,1 /app/from/page extra=1");
	}

	/** Tomcat keeps the request's parameter names first and adds the dispatch query's new ones after. */
	@Test
	void forwardQueryAddsNewParameterNamesAfterTheRequestsOwn() throws IOException {
		this.fixture.servlet("from", (request, response) -> request.getRequestDispatcher("/to?added=1&kept=0")
			.forward(request, response), "/from");
		this.fixture.servlet("to", (request, response) -> response.getWriter()
			.print(request.getParameterMap().keySet() + " " + String.join(",", request.getParameterValues("kept"))),
				"/to");
		assertThat(this.fixture.serve(TestExchange.get("/app/from?original=1&kept=1")).bodyText())
			.isEqualTo("[original, kept, added] 0,1");
	}

	@Test
	void includeKeepsThePathAndIgnoresHeaders() throws IOException {
		this.fixture.servlet("page", (request, response) -> {
			response.getWriter().print("[");
			request.getRequestDispatcher("/part").include(request, response);
			response.getWriter().print("]" + request.getServletPath() + " " + request.getAttribute(
					"jakarta.servlet.include.servlet_path"));
		}, "/page");
		this.fixture.servlet("part", (request, response) -> {
			response.setStatus(404);
			response.setHeader("X-Part", "1");
			response.getWriter().print(request.getDispatcherType() + " " + request.getServletPath() + " "
					+ request.getAttribute("jakarta.servlet.include.servlet_path"));
		}, "/part");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/app/page"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("X-Part")).isNull();
		assertThat(response.bodyText()).isEqualTo("[INCLUDE /page /part]/page null");
	}

	private AsyncListener recordingListener() {
		return new AsyncListener() {

			@Override
			public void onComplete(AsyncEvent event) {
				AsyncAndDispatchTests.this.events.add("complete");
			}

			@Override
			public void onTimeout(AsyncEvent event) {
				AsyncAndDispatchTests.this.events.add("timeout");
			}

			@Override
			public void onError(AsyncEvent event) {
				AsyncAndDispatchTests.this.events.add("error " + event.getThrowable().getClass().getSimpleName());
			}

			@Override
			public void onStartAsync(AsyncEvent event) {
				AsyncAndDispatchTests.this.events.add("restart");
			}

		};
	}

}
