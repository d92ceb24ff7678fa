package dev.fastcgi.servlet;

import java.util.Collection;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;

/**
 * A servlet added to a {@link FastCgiServletContext}, its configuration and its life cycle: it is
 * initialised at context start when it loads on startup, otherwise by the first request mapped to
 * it.
 */
final class FastCgiServletRegistration implements ServletRegistration.Dynamic, ServletConfig {

	private final FastCgiServletContext context;

	private final String name;

	private final Servlet servlet;

	private final InitParameters initParameters = new InitParameters();

	private volatile int loadOnStartup = -1;

	private volatile boolean asyncSupported;

	private volatile MultipartConfigElement multipartConfig;

	private volatile String runAsRole;

	private volatile boolean initialized;

	FastCgiServletRegistration(FastCgiServletContext context, String name, Servlet servlet) {
		this.context = context;
		this.name = name;
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

	boolean isAsyncSupported() {
		return this.asyncSupported;
	}

	MultipartConfigElement multipartConfig() {
		return this.multipartConfig;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getServletName() {
		return this.name;
	}

	@Override
	public String getClassName() {
		return this.servlet.getClass().getName();
	}

	@Override
	public ServletContext getServletContext() {
		return this.context;
	}

	@Override
	public Set<String> addMapping(String... urlPatterns) {
		if (urlPatterns == null || urlPatterns.length == 0) {
			throw new IllegalArgumentException("No URL patterns given for servlet '" + this.name + "'");
		}
		this.context.checkNotStarted();
		return this.context.servletMappings().add(this, urlPatterns);
	}

	@Override
	public Collection<String> getMappings() {
		return this.context.servletMappings().patternsOf(this);
	}

	@Override
	public void setLoadOnStartup(int loadOnStartup) {
		this.context.checkNotStarted();
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
		this.context.checkNotStarted();
		this.multipartConfig = multipartConfig;
	}

	@Override
	public void setRunAsRole(String roleName) {
		this.context.checkNotStarted();
		this.runAsRole = roleName;
	}

	@Override
	public String getRunAsRole() {
		return this.runAsRole;
	}

	@Override
	public void setAsyncSupported(boolean asyncSupported) {
		this.context.checkNotStarted();
		this.asyncSupported = asyncSupported;
	}

	@Override
	public boolean setInitParameter(String name, String value) {
		this.context.checkNotStarted();
		return this.initParameters.setIfAbsent(name, value);
	}

	@Override
	public Set<String> setInitParameters(Map<String, String> initParameters) {
		this.context.checkNotStarted();
		return this.initParameters.setAllIfAbsent(initParameters);
	}

	@Override
	public String getInitParameter(String name) {
		return this.initParameters.get(name);
	}

	@Override
	public Enumeration<String> getInitParameterNames() {
		return this.initParameters.names();
	}

	@Override
	public Map<String, String> getInitParameters() {
		return this.initParameters.asMap();
	}

}
