package dev.fastcgi.servlet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.DispatcherType;

/**
 * The filter mappings of a context in chain order: mappings added with {@code isMatchAfter}
 * false come before those added with true, each group in the order added.
 */
final class FilterMappings {

	/** Replaced, never changed, so that requests read it without locking. */
	private volatile List<FilterMapping> mappings = List.of();

	private int matchBeforeCount;

	synchronized void add(FilterMapping mapping, boolean isMatchAfter) {
		List<FilterMapping> updated = new ArrayList<>(this.mappings);
		if (isMatchAfter) {
			updated.add(mapping);
		}
		else {
			updated.add(this.matchBeforeCount++, mapping);
		}
		this.mappings = List.copyOf(updated);
	}

	List<FilterMapping> of(FastCgiFilterRegistration registration) {
		return this.mappings.stream().filter((mapping) -> mapping.registration() == registration).toList();
	}

	/**
	 * The filters of a dispatch: those mapped by URL pattern in mapping order, then those mapped
	 * by servlet name; each filter once.
	 */
	List<FastCgiFilterRegistration> chainFor(DispatcherType type, String pathWithinContext,
			String servletName) {
		List<FilterMapping> current = this.mappings;
		Set<FastCgiFilterRegistration> chain = new LinkedHashSet<>();
		for (FilterMapping mapping : current) {
			if (mapping.matchesPath(type, pathWithinContext)) {
				chain.add(mapping.registration());
			}
		}
		for (FilterMapping mapping : current) {
			if (mapping.matchesServlet(type, servletName)) {
				chain.add(mapping.registration());
			}
		}
		return List.copyOf(chain);
	}

}
