package dev.fastcgi.servlet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletMapping;

/**
 * What a request looks like during one dispatch: its type, the path elements the target sees, the
 * servlet it runs and the parameters a dispatch query string adds in front of the request's own.
 * Dispatches nest; each state knows the one it was made from.
 */
final class DispatchState {

	private final DispatcherType type;

	private final String requestUri;

	private final String queryString;

	private final String servletPath;

	private final String pathInfo;

	private final HttpServletMapping mapping;

	private final FastCgiServletRegistration servlet;

	private final DispatchState parent;

	private final String addedQuery;

	private final Supplier<Map<String, List<String>>> requestParameters;

	private volatile boolean asyncSupported;

	private Map<String, List<String>> parameters;

	private DispatchState(DispatcherType type, String requestUri, String queryString, String servletPath,
			String pathInfo, HttpServletMapping mapping, FastCgiServletRegistration servlet, DispatchState parent,
			String addedQuery, Supplier<Map<String, List<String>>> requestParameters) {
		this.type = type;
		this.requestUri = requestUri;
		this.queryString = queryString;
		this.servletPath = servletPath;
		this.pathInfo = pathInfo;
		this.mapping = mapping;
		this.servlet = servlet;
		this.parent = parent;
		this.addedQuery = addedQuery;
		this.requestParameters = requestParameters;
	}

	/** The REQUEST dispatch; its parameters are the request's own, parsed on demand. */
	static DispatchState request(String requestUri, String queryString, ServletMatch match,
			Supplier<Map<String, List<String>>> requestParameters) {
		return new DispatchState(DispatcherType.REQUEST, requestUri, queryString, match.servletPath(),
				match.pathInfo(), match.mapping(), match.registration(), null, null, requestParameters);
	}

	/**
	 * A dispatch to a new path (FORWARD, ERROR, ASYNC): the query string is the dispatch's own if
	 * it has one, else the current one.
	 */
	DispatchState toPath(DispatcherType type, String requestUri, String dispatchQuery, ServletMatch match) {
		return new DispatchState(type, requestUri, (dispatchQuery != null) ? dispatchQuery : this.queryString,
				match.servletPath(), match.pathInfo(), match.mapping(), match.registration(), this, dispatchQuery,
				this.requestParameters);
	}

	/** A dispatch that keeps the path elements (INCLUDE, named dispatchers). */
	DispatchState toServlet(DispatcherType type, FastCgiServletRegistration target, String dispatchQuery) {
		return new DispatchState(type, this.requestUri, this.queryString, this.servletPath, this.pathInfo,
				this.mapping, target, this, dispatchQuery, this.requestParameters);
	}

	DispatcherType type() {
		return this.type;
	}

	String requestUri() {
		return this.requestUri;
	}

	String queryString() {
		return this.queryString;
	}

	String servletPath() {
		return this.servletPath;
	}

	String pathInfo() {
		return this.pathInfo;
	}

	HttpServletMapping mapping() {
		return this.mapping;
	}

	FastCgiServletRegistration servlet() {
		return this.servlet;
	}

	boolean isAsyncSupported() {
		return this.asyncSupported;
	}

	void setAsyncSupported(boolean asyncSupported) {
		this.asyncSupported = asyncSupported;
	}

	/**
	 * The parameters of the dispatch this one came from, then new names of the dispatch query; a
	 * name in both has the dispatch query's values first (Tomcat's order).
	 */
	synchronized Map<String, List<String>> parameters() {
		if (this.parameters == null) {
			Map<String, List<String>> inherited = (this.parent != null) ? this.parent.parameters()
					: this.requestParameters.get();
			this.parameters = (this.addedQuery != null) ? merge(this.addedQuery, inherited) : inherited;
		}
		return this.parameters;
	}

	private static Map<String, List<String>> merge(String query, Map<String, List<String>> inherited) {
		Map<String, List<String>> added = new LinkedHashMap<>();
		UrlEncodedForm.parse(query, StandardCharsets.UTF_8, added);
		Map<String, List<String>> merged = new LinkedHashMap<>(inherited);
		added.forEach((name, values) -> {
			List<String> addedFirst = new ArrayList<>(values);
			addedFirst.addAll(inherited.getOrDefault(name, List.of()));
			merged.put(name, List.copyOf(addedFirst));
		});
		return Collections.unmodifiableMap(merged);
	}

}
