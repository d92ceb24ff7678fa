package dev.fastcgi.servlet;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.MappingMatch;

/**
 * The URL patterns of a context's servlets and the mapping rules of the Servlet specification
 * (chapter 12): exact match, longest path prefix, extension, default servlet; {@code ""} maps the
 * context root only.
 */
final class ServletMappings {

	private static final String CONTEXT_ROOT_PATTERN = "";

	private static final String DEFAULT_PATTERN = "/";

	private final Map<String, FastCgiServletRegistration> exact = new ConcurrentHashMap<>();

	/** Keyed by the pattern without its trailing {@code /*}; {@code "/*"} is keyed by "". */
	private final Map<String, FastCgiServletRegistration> prefix = new ConcurrentHashMap<>();

	/** Keyed by the extension without {@code "*."}. */
	private final Map<String, FastCgiServletRegistration> extension = new ConcurrentHashMap<>();

	private final Map<String, FastCgiServletRegistration> byPattern = new ConcurrentHashMap<>();

	/**
	 * Maps the patterns to the servlet unless one of them already maps to another servlet, in
	 * which case nothing changes.
	 * @return the conflicting patterns, empty when the patterns were added
	 * @throws IllegalArgumentException for a pattern the specification does not allow
	 */
	synchronized Set<String> add(FastCgiServletRegistration registration, String... patterns) {
		Set<String> conflicts = new LinkedHashSet<>();
		for (String pattern : patterns) {
			validate(pattern);
			FastCgiServletRegistration existing = this.byPattern.get(pattern);
			if (existing != null && existing != registration) {
				conflicts.add(pattern);
			}
		}
		if (conflicts.isEmpty()) {
			for (String pattern : patterns) {
				this.byPattern.put(pattern, registration);
				index(pattern, registration);
			}
		}
		return conflicts;
	}

	Set<String> patternsOf(FastCgiServletRegistration registration) {
		Set<String> patterns = new LinkedHashSet<>();
		this.byPattern.forEach((pattern, mapped) -> {
			if (mapped == registration) {
				patterns.add(pattern);
			}
		});
		return patterns;
	}

	/**
	 * Finds the servlet for a decoded, normalised path within the context.
	 * @param path starts with {@code /}
	 * @return the match, or {@code null} when no servlet maps the path
	 */
	ServletMatch match(String path) {
		if (path.equals("/")) {
			FastCgiServletRegistration contextRoot = this.byPattern.get(CONTEXT_ROOT_PATTERN);
			if (contextRoot != null) {
				return ServletMatch.of(contextRoot, "", "/", MappingMatch.CONTEXT_ROOT, CONTEXT_ROOT_PATTERN, "");
			}
		}
		FastCgiServletRegistration exactMatch = this.exact.get(path);
		if (exactMatch != null) {
			return ServletMatch.of(exactMatch, path, null, MappingMatch.EXACT, path, path.substring(1));
		}
		ServletMatch prefixMatch = matchLongestPrefix(path);
		if (prefixMatch != null) {
			return prefixMatch;
		}
		ServletMatch extensionMatch = matchExtension(path);
		if (extensionMatch != null) {
			return extensionMatch;
		}
		FastCgiServletRegistration defaultServlet = this.byPattern.get(DEFAULT_PATTERN);
		if (defaultServlet != null) {
			return ServletMatch.of(defaultServlet, path, null, MappingMatch.DEFAULT, DEFAULT_PATTERN, "");
		}
		return null;
	}

	private ServletMatch matchLongestPrefix(String path) {
		if (this.prefix.isEmpty()) {
			return null;
		}
		String candidate = path;
		while (true) {
			FastCgiServletRegistration registration = this.prefix.get(candidate);
			if (registration != null) {
				String pathInfo = (candidate.length() < path.length()) ? path.substring(candidate.length()) : null;
				String matchValue = (pathInfo != null) ? pathInfo.substring(1) : "";
				return ServletMatch.of(registration, candidate, pathInfo, MappingMatch.PATH, candidate + "/*",
						matchValue);
			}
			if (candidate.isEmpty()) {
				return null;
			}
			candidate = candidate.substring(0, candidate.lastIndexOf('/'));
		}
	}

	private ServletMatch matchExtension(String path) {
		int lastSlash = path.lastIndexOf('/');
		int dot = path.lastIndexOf('.');
		if (dot <= lastSlash) {
			return null;
		}
		String ext = path.substring(dot + 1);
		FastCgiServletRegistration registration = this.extension.get(ext);
		if (registration == null) {
			return null;
		}
		return ServletMatch.of(registration, path, null, MappingMatch.EXTENSION, "*." + ext,
				path.substring(1, dot));
	}

	private void index(String pattern, FastCgiServletRegistration registration) {
		if (pattern.equals(CONTEXT_ROOT_PATTERN) || pattern.equals(DEFAULT_PATTERN)) {
			return;
		}
		if (pattern.startsWith("*.")) {
			this.extension.put(pattern.substring(2), registration);
		}
		else if (pattern.endsWith("/*")) {
			this.prefix.put(pattern.substring(0, pattern.length() - 2), registration);
		}
		else {
			this.exact.put(pattern, registration);
		}
	}

	static void validate(String pattern) {
		if (pattern == null) {
			throw new IllegalArgumentException("A URL pattern must not be null");
		}
		boolean valid = pattern.isEmpty() || (pattern.startsWith("*.") && pattern.indexOf('/') < 0)
				|| (pattern.startsWith("/") && pattern.indexOf('*') == pattern.lastIndexOf('*')
						&& (pattern.indexOf('*') < 0 || pattern.endsWith("/*")));
		if (!valid) {
			throw new IllegalArgumentException("Invalid URL pattern '" + pattern + "'");
		}
	}

}
