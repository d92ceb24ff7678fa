package dev.fastcgi.sample.differential;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.server.servlet.context.ServletComponentScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * What {@code @ServletComponentScan} finds ({@code @WebServlet}, {@code @WebFilter},
 * {@code @WebListener}) and a {@link CookieSameSiteSupplier} bean: what Spring Boot hands the
 * servlet container besides the servlets and filters of the application context.
 */
@Configuration(proxyBeanMethods = false)
@Profile(DifferentialApplication.PROFILE)
@ServletComponentScan(basePackageClasses = DifferentialServletComponents.class)
class DifferentialServletComponents {

	@Bean
	CookieSameSiteSupplier laxForSuppliedCookies() {
		return CookieSameSiteSupplier.ofLax().whenHasNameMatching("supplied-.*");
	}

	/** A plain servlet under a path prefix, reporting how the container mapped it and its init parameter. */
	@WebServlet(urlPatterns = "/web-servlet/*", initParams = @WebInitParam(name = "greeting", value = "hello"),
			loadOnStartup = 1)
	public static class PlainServlet extends HttpServlet {

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			response.setContentType("text/plain;charset=UTF-8");
			response.getWriter()
				.printf("servletPath=%s pathInfo=%s greeting=%s filtered=%s%n", request.getServletPath(),
						request.getPathInfo(), getInitParameter("greeting"), request.getAttribute("filtered"));
		}

	}

	/** A filter in front of the plain servlet, adding a header and a request attribute. */
	@WebFilter(urlPatterns = "/web-servlet/*")
	public static class MarkingFilter implements Filter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			request.setAttribute("filtered", "yes");
			((HttpServletResponse) response).setHeader("X-Web-Filter", "applied");
			chain.doFilter(request, response);
		}

	}

	/** Marks the context when it starts and every request when it begins; {@code /web-listener} shows both. */
	@WebListener
	public static class MarkingListener implements ServletContextListener, ServletRequestListener {

		@Override
		public void contextInitialized(ServletContextEvent event) {
			event.getServletContext().setAttribute("marked-by-web-listener", "context initialized");
		}

		@Override
		public void requestInitialized(ServletRequestEvent event) {
			event.getServletRequest().setAttribute("marked-by-web-listener", "request initialized");
		}

	}

}
