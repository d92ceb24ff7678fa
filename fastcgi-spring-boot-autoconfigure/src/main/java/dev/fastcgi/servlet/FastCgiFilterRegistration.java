package dev.fastcgi.servlet;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletException;

/**
 * A filter added to a {@link FastCgiServletContext}; initialised when the context starts.
 */
final class FastCgiFilterRegistration extends ComponentRegistration implements FilterRegistration.Dynamic, FilterConfig {

	private final Filter filter;

	private boolean initialized;

	FastCgiFilterRegistration(FastCgiServletContext context, String name, Filter filter) {
		super(context, name, filter);
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

	@Override
	public void addMappingForServletNames(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter,
			String... servletNames) {
		if (servletNames == null || servletNames.length == 0) {
			throw new IllegalArgumentException("No servlet names given for filter '" + getName() + "'");
		}
		context().checkNotStarted();
		context().filterMappings()
			.add(FilterMapping.forServletNames(this, dispatcherTypes, servletNames), isMatchAfter);
	}

	@Override
	public Collection<String> getServletNameMappings() {
		Set<String> names = new LinkedHashSet<>();
		context().filterMappings().of(this).forEach((mapping) -> names.addAll(mapping.servletNames()));
		return names;
	}

	@Override
	public void addMappingForUrlPatterns(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter,
			String... urlPatterns) {
		if (urlPatterns == null || urlPatterns.length == 0) {
			throw new IllegalArgumentException("No URL patterns given for filter '" + getName() + "'");
		}
		context().checkNotStarted();
		context().filterMappings()
			.add(FilterMapping.forUrlPatterns(this, dispatcherTypes, urlPatterns), isMatchAfter);
	}

	@Override
	public Collection<String> getUrlPatternMappings() {
		Set<String> patterns = new LinkedHashSet<>();
		context().filterMappings().of(this).forEach((mapping) -> patterns.addAll(mapping.urlPatterns()));
		return patterns;
	}

	@Override
	public String getFilterName() {
		return getName();
	}

}
