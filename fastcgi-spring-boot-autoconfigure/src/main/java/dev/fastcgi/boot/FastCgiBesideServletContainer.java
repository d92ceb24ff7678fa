package dev.fastcgi.boot;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.web.error.ErrorPageRegistrar;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.autoconfigure.servlet.ServletWebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.servlet.ServletContextInitializerBeans;
import org.springframework.context.SmartLifecycle;

/**
 * A FastCGI listener running beside the application's own servlet container (Tomcat, Jetty): it
 * serves the same servlets and filters, registered from the same beans, in a servlet context of
 * its own. Starts after the container and stops before it.
 */
final class FastCgiBesideServletContainer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(FastCgiBesideServletContainer.class);

	private final FastCgiServletWebServerFactory factory;

	private final ListableBeanFactory beanFactory;

	private volatile WebServer webServer;

	FastCgiBesideServletContainer(FastCgiServletWebServerFactory factory, ListableBeanFactory beanFactory) {
		this.factory = factory;
		this.beanFactory = beanFactory;
	}

	@Override
	public void start() {
		this.beanFactory.getBeanProvider(ServletWebServerFactoryCustomizer.class)
			.orderedStream()
			.forEach((customizer) -> customizer.customize(this.factory));
		this.beanFactory.getBeanProvider(ErrorPageRegistrar.class)
			.orderedStream()
			.forEach((registrar) -> registrar.registerErrorPages(this.factory));
		ServletContextInitializerBeans initializers = new ServletContextInitializerBeans(this.beanFactory);
		WebServer server = this.factory.getWebServer(initializers.toArray(new ServletContextInitializer[0]));
		server.start();
		this.webServer = server;
		logger.info("FastCGI is served beside the application's servlet container");
	}

	@Override
	public void stop() {
		WebServer server = this.webServer;
		this.webServer = null;
		if (server != null) {
			server.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.webServer != null;
	}

	/** After the servlet container's own start-stop lifecycle, so that it is serving first. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

	WebServer getWebServer() {
		return this.webServer;
	}

}
