package dev.fastcgi.servlet;

import java.util.Collection;
import java.util.Set;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;

/**
 * A servlet added to a {@link FastCgiServletContext}, its configuration and its life cycle: it is
 * initialised at context start when it loads on startup, otherwise by the first request mapped to
 * it.
 */
final class FastCgiServletRegistration extends ComponentRegistration implements ServletRegistration.Dynamic, ServletConfig {

	private final Servlet servlet;

	private volatile int loadOnStartup = -1;

	private volatile MultipartConfigElement multipartConfig;

	private volatile String runAsRole;

	private volatile boolean initialized;

	FastCgiServletRegistration(FastCgiServletContext context, String name, Servlet servlet) {
		super(context, name, servlet);
		this.servlet = servlet;
	}

	/** The servlet, initialised first if no request or startup has done so yet. */
	Servlet initializedServlet() throws ServletException {
		if (!this.initialized) {
			synchronized (this) {
				if (!this.initialized) {
					this.servlet.init(this);
					this.initialized = true;
				}
			}
		}
		return this.servlet;
	}

	synchronized void destroy() {
		if (this.initialized) {
			this.initialized = false;
			this.servlet.destroy();
		}
	}

	int loadOnStartup() {
		return this.loadOnStartup;
	}

	MultipartConfigElement multipartConfig() {
		return this.multipartConfig;
	}

	@Override
	public String getServletName() {
		return getName();
	}

	@Override
	public Set<String> addMapping(String... urlPatterns) {
		if (urlPatterns == null || urlPatterns.length == 0) {
			throw new IllegalArgumentException("No URL patterns given for servlet '" + getName() + "'");
		}
		context().checkNotStarted();
		return context().servletMappings().add(this, urlPatterns);
	}

	@Override
	public Collection<String> getMappings() {
		return context().servletMappings().patternsOf(this);
	}

	@Override
	public void setLoadOnStartup(int loadOnStartup) {
		context().checkNotStarted();
		this.loadOnStartup = loadOnStartup;
	}

	@Override
	public Set<String> setServletSecurity(ServletSecurityElement constraint) {
		throw new UnsupportedOperationException(
				"Container security constraints are not supported; secure the application with Spring Security");
	}

	@Override
	public void setMultipartConfig(MultipartConfigElement multipartConfig) {
		if (multipartConfig == null) {
			throw new IllegalArgumentException("MultipartConfigElement must not be null");
		}
		context().checkNotStarted();
		this.multipartConfig = multipartConfig;
	}

	@Override
	public void setRunAsRole(String roleName) {
		context().checkNotStarted();
		this.runAsRole = roleName;
	}

	@Override
	public String getRunAsRole() {
		return this.runAsRole;
	}

}
