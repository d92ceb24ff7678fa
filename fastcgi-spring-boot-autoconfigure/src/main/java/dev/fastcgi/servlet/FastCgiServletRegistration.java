package dev.fastcgi.servlet;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.http.HttpServlet;

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

	/**
	 * The methods listed in the {@code Allow} header of a refused TRACE, as Tomcat lists them: for
	 * an {@code HttpServlet}, {@code OPTIONS} and those of the {@code doGet}, {@code doPost},
	 * {@code doPut} and {@code doDelete} it overrides, in the order of Tomcat's hash set; for
	 * another servlet {@code GET, HEAD, POST}.
	 */
	String allowedMethodsButTrace() {
		if (!(this.servlet instanceof HttpServlet)) {
			return "GET, HEAD, POST";
		}
		Deque<Class<?>> hierarchy = new ArrayDeque<>();
		for (Class<?> type = this.servlet.getClass(); type != HttpServlet.class; type = type.getSuperclass()) {
			hierarchy.push(type);
		}
		// built as Tomcat builds it, TRACE included and superclasses first, so that it iterates in Tomcat's order
		Set<String> allowed = new HashSet<>();
		allowed.add("OPTIONS");
		allowed.add("TRACE");
		for (Class<?> type : hierarchy) {
			for (Method method : type.getDeclaredMethods()) {
				switch (method.getName()) {
					case "doGet" -> {
						allowed.add("GET");
						allowed.add("HEAD");
					}
					case "doPost" -> allowed.add("POST");
					case "doPut" -> allowed.add("PUT");
					case "doDelete" -> allowed.add("DELETE");
					default -> {
					}
				}
			}
		}
		allowed.remove("TRACE");
		return String.join(", ", allowed);
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
