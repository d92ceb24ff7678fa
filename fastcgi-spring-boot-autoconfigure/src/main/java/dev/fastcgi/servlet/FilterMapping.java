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
		if (!this.dispatcherTypes.contains(type)) {
			return false;
		}
		for (String pattern : this.urlPatterns) {
			if (matches(pattern, pathWithinContext)) {
				return true;
			}
		}
		return false;
	}

	boolean matchesServlet(DispatcherType type, String servletName) {
		if (!this.dispatcherTypes.contains(type) || servletName == null) {
			return false;
		}
		for (String name : this.servletNames) {
			if (name.equals("*") || name.equals(servletName)) {
				return true;
			}
		}
		return false;
	}

	/** Whether the mapping applies to some paths of a dispatch of the type but not to all. */
	boolean dependsOnPath(DispatcherType type) {
		if (!this.dispatcherTypes.contains(type)) {
			return false;
		}
		for (String pattern : this.urlPatterns) {
			if (!pattern.equals("/*")) {
				return true;
			}
		}
		return false;
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
			int prefixLength = pattern.length() - 2;
			return path.regionMatches(0, pattern, 0, prefixLength)
					&& (path.length() == prefixLength || path.charAt(prefixLength) == '/');
		}
		if (pattern.startsWith("*.")) {
			int lastSlash = path.lastIndexOf('/');
			int dot = path.lastIndexOf('.');
			int extensionLength = pattern.length() - 2;
			return dot > lastSlash && path.length() - dot - 1 == extensionLength
					&& path.regionMatches(dot + 1, pattern, 2, extensionLength);
		}
		return false;
	}

}
