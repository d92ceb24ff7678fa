package dev.fastcgi.servlet;

/**
 * Where a dispatch path leads.
 *
 * @param requestUri the request URI the target sees: context path plus the path as given
 * @param queryString the query of the dispatch path, or {@code null}
 * @param match the servlet and path elements
 */
record DispatchTarget(String requestUri, String queryString, ServletMatch match) {

	String pathWithinContext() {
		return this.match.pathWithinContext();
	}

}
