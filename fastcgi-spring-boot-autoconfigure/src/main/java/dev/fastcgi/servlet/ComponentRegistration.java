package dev.fastcgi.servlet;

import java.util.Enumeration;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.Registration;
import jakarta.servlet.ServletContext;

/**
 * What a servlet's and a filter's registration share: a name, init parameters, async support,
 * all fixed once the context has started.
 */
abstract class ComponentRegistration implements Registration.Dynamic {

	private final FastCgiServletContext context;

	private final String name;

	private final Object component;

	private final InitParameters initParameters = new InitParameters();

	private volatile boolean asyncSupported;

	ComponentRegistration(FastCgiServletContext context, String name, Object component) {
		this.context = context;
		this.name = name;
		this.component = component;
	}

	FastCgiServletContext context() {
		return this.context;
	}

	boolean isAsyncSupported() {
		return this.asyncSupported;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getClassName() {
		return this.component.getClass().getName();
	}

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

	public Enumeration<String> getInitParameterNames() {
		return this.initParameters.names();
	}

	@Override
	public Map<String, String> getInitParameters() {
		return this.initParameters.asMap();
	}

}
