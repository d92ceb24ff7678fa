package dev.fastcgi.servlet;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The init parameters of a servlet, filter or context: set once each, readable by name.
 */
final class InitParameters {

	private final Map<String, String> values = new LinkedHashMap<>();

	/** Sets the parameter unless it is set already; the Servlet API's contract for all three. */
	synchronized boolean setIfAbsent(String name, String value) {
		if (name == null || value == null) {
			throw new IllegalArgumentException("Init parameter name and value must not be null");
		}
		return this.values.putIfAbsent(name, value) == null;
	}

	/** Sets each parameter not set already, returning the names that were. */
	synchronized Set<String> setAllIfAbsent(Map<String, String> parameters) {
		Set<String> conflicts = new LinkedHashSet<>();
		parameters.forEach((name, value) -> {
			if (this.values.containsKey(name)) {
				conflicts.add(name);
			}
		});
		if (conflicts.isEmpty()) {
			parameters.forEach(this::setIfAbsent);
		}
		return conflicts;
	}

	synchronized String get(String name) {
		return this.values.get(name);
	}

	synchronized Enumeration<String> names() {
		return Collections.enumeration(Set.copyOf(this.values.keySet()));
	}

	synchronized Map<String, String> asMap() {
		return Map.copyOf(this.values);
	}

}
