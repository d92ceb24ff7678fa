package dev.fastcgi.servlet;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.MappingMatch;

/**
 * The servlet a context-relative path maps to (none for {@link #unmapped}) and how the path splits into servlet path and path
 * info.
 *
 * @param registration the servlet
 * @param servletPath the part of the path that selected the servlet, never {@code null}
 * @param pathInfo the rest, or {@code null}
 * @param mapping what {@link jakarta.servlet.http.HttpServletRequest#getHttpServletMapping()}
 * answers
 */
record ServletMatch(FastCgiServletRegistration registration, String servletPath, String pathInfo,
		HttpServletMapping mapping) {

	static ServletMatch of(FastCgiServletRegistration registration, String servletPath, String pathInfo,
			MappingMatch match, String pattern, String matchValue) {
		return new ServletMatch(registration, servletPath, pathInfo,
				new Mapping(matchValue, pattern, registration.getName(), match));
	}

	/** The "match" of a path no servlet maps: the request will be answered 404. */
	static ServletMatch unmapped(String path) {
		return new ServletMatch(null, path, null, new Mapping("", "", "", null));
	}

	/** The path within the context: servlet path plus path info. */
	String pathWithinContext() {
		return (this.pathInfo != null) ? this.servletPath + this.pathInfo : this.servletPath;
	}

	private record Mapping(String matchValue, String pattern, String servletName,
			MappingMatch mappingMatch) implements HttpServletMapping {

		@Override
		public String getMatchValue() {
			return this.matchValue;
		}

		@Override
		public String getPattern() {
			return this.pattern;
		}

		@Override
		public String getServletName() {
			return this.servletName;
		}

		@Override
		public MappingMatch getMappingMatch() {
			return this.mappingMatch;
		}

	}

}
