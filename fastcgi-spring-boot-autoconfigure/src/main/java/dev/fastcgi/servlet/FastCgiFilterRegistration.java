package dev.fastcgi.servlet;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/**
 * A filter added to a {@link FastCgiServletContext}; initialised when the context starts.
 */
final class FastCgiFilterRegistration implements FilterRegistration.Dynamic, FilterConfig {

	private final FastCgiServletContext context;

	private final String name;

	private final Filter filter;

	private final InitParameters initParameters = new InitParameters();

	private volatile boolean asyncSupported;

	private boolean initialized;

	FastCgiFilterRegistration(FastCgiServletContext context, String name, Filter filter) {
		this.context = context;
		this.name = name;
		this.filter = filter;
	}

	Filter filter() {
		return this.filter;
	}

	synchronized void init() throws ServletException {
		if (!this.initialized) {
			this.filter.init(this);
			this.initialized = true;
		}
	}

	synchronized void destroy() {
		if (this.initialized) {
			this.initialized = false;
			this.filter.destroy();
		}
	}

	boolean isAsyncSupported() {
		return this.asyncSupported;
	}

	@Override
	public void addMappingForServletNames(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter,
			String... servletNames) {
		if (servletNames == null || servletNames.length == 0) {
			throw new IllegalArgumentException("No servlet names given for filter '" + this.name + "'");
		}
		this.context.checkNotStarted();
		this.context.filterMappings()
			.add(FilterMapping.forServletNames(this, dispatcherTypes, servletNames), isMatchAfter);
	}

	@Override
	public Collection<String> getServletNameMappings() {
		Set<String> names = new LinkedHashSet<>();
		this.context.filterMappings().of(this).forEach((mapping) -> names.addAll(mapping.servletNames()));
		return names;
	}

	@Override
	public void addMappingForUrlPatterns(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter,
			String... urlPatterns) {
		if (urlPatterns == null || urlPatterns.length == 0) {
			throw new IllegalArgumentException("No URL patterns given for filter '" + this.name + "'");
		}
		this.context.checkNotStarted();
		this.context.filterMappings()
			.add(FilterMapping.forUrlPatterns(this, dispatcherTypes, urlPatterns), isMatchAfter);
	}

	@Override
	public Collection<String> getUrlPatternMappings() {
		Set<String> patterns = new LinkedHashSet<>();
		this.context.filterMappings().of(this).forEach((mapping) -> patterns.addAll(mapping.urlPatterns()));
		return patterns;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getFilterName() {
		return this.name;
	}

	@Override
	public String getClassName() {
		return this.filter.getClass().getName();
	}

	@Override
	public ServletContext getServletContext() {
		return this.context;
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
