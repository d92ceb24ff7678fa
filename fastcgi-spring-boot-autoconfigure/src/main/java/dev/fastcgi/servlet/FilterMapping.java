package dev.fastcgi.servlet;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.DispatcherType;

/**
 * One {@code addMappingForUrlPatterns} or {@code addMappingForServletNames} call: the filter
 * applies to a dispatch of one of the types whose path matches one of the URL patterns or whose
 * servlet has one of the names ({@code *} for all).
 */
record FilterMapping(FastCgiFilterRegistration registration, Set<DispatcherType> dispatcherTypes,
		List<String> urlPatterns, List<String> servletNames) {

	static FilterMapping forUrlPatterns(FastCgiFilterRegistration registration, Set<DispatcherType> types,
			String... urlPatterns) {
		for (String pattern : urlPatterns) {
			ServletMappings.validate(pattern);
		}
		return new FilterMapping(registration, dispatcherTypes(types), List.of(urlPatterns), List.of());
	}

	static FilterMapping forServletNames(FastCgiFilterRegistration registration, Set<DispatcherType> types,
			String... servletNames) {
		return new FilterMapping(registration, dispatcherTypes(types), List.of(), List.of(servletNames));
	}

	/** A mapping without dispatcher types means REQUEST only. */
	private static Set<DispatcherType> dispatcherTypes(Set<DispatcherType> types) {
		return (types == null || types.isEmpty()) ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.copyOf(types);
	}

	boolean matchesPath(DispatcherType type, String pathWithinContext) {
		return this.dispatcherTypes.contains(type)
				&& this.urlPatterns.stream().anyMatch((pattern) -> matches(pattern, pathWithinContext));
	}

	boolean matchesServlet(DispatcherType type, String servletName) {
		return this.dispatcherTypes.contains(type) && servletName != null
				&& this.servletNames.stream().anyMatch((name) -> name.equals("*") || name.equals(servletName));
	}

	/**
	 * Filter patterns match like servlet patterns, except that {@code /} is no default: it
	 * matches the path {@code /} only.
	 */
	static boolean matches(String pattern, String path) {
		if (pattern.equals(path) || pattern.equals("/*")) {
			return true;
		}
		if (pattern.endsWith("/*")) {
			String prefix = pattern.substring(0, pattern.length() - 2);
			return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
		}
		if (pattern.startsWith("*.")) {
			int lastSlash = path.lastIndexOf('/');
			int dot = path.lastIndexOf('.');
			return dot > lastSlash && path.substring(dot + 1).equals(pattern.substring(2));
		}
		return false;
	}

}
