package dev.fastcgi.sample.differential;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;

import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.server.servlet.context.ServletComponentScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * What Spring Boot hands the servlet container besides servlets and filters: a
 * {@code @WebListener} found by {@code @ServletComponentScan}, and a {@link CookieSameSiteSupplier}
 * bean.
 */
@Configuration(proxyBeanMethods = false)
@Profile(DifferentialApplication.PROFILE)
@ServletComponentScan(basePackageClasses = DifferentialServletComponents.class)
class DifferentialServletComponents {

	@Bean
	CookieSameSiteSupplier laxForSuppliedCookies() {
		return CookieSameSiteSupplier.ofLax().whenHasNameMatching("supplied-.*");
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
