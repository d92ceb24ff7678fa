package dev.fastcgi.servlet;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.DispatcherType;

/**
 * The filter mappings of a context in chain order: mappings added with {@code isMatchAfter}
 * false come before those added with true, each group in the order added.
 */
final class FilterMappings {

	private static final FastCgiFilterRegistration[] NO_FILTERS = {};

	/** Replaced, never changed, so that requests read it without locking. */
	private volatile Chains chains = new Chains(List.of());

	private int matchBeforeCount;

	synchronized void add(FilterMapping mapping, boolean isMatchAfter) {
		List<FilterMapping> updated = new ArrayList<>(this.chains.mappings);
		if (isMatchAfter) {
			updated.add(mapping);
		}
		else {
			updated.add(this.matchBeforeCount++, mapping);
		}
		this.chains = new Chains(List.copyOf(updated));
	}

	List<FilterMapping> of(FastCgiFilterRegistration registration) {
		List<FilterMapping> mappings = new ArrayList<>();
		for (FilterMapping mapping : this.chains.mappings) {
			if (mapping.registration() == registration) {
				mappings.add(mapping);
			}
		}
		return mappings;
	}

	/**
	 * The filters of a dispatch: those mapped by URL pattern in mapping order, then those mapped
	 * by servlet name; each filter once. The caller must not change the array.
	 */
	FastCgiFilterRegistration[] chainFor(DispatcherType type, String pathWithinContext, String servletName) {
		return this.chains.chainFor(type, pathWithinContext, servletName);
	}

	/**
	 * One list of mappings and the chains resolved from it. As long as every URL pattern mapped
	 * for a dispatcher type is {@code /*} (the usual case: Spring Boot maps its filters so), the
	 * chain of that type depends on the servlet only and is resolved once per servlet.
	 */
	private static final class Chains {

		private final List<FilterMapping> mappings;

		private final Set<DispatcherType> pathDependentTypes = EnumSet.noneOf(DispatcherType.class);

		/** Per dispatcher type, the chains of the servlets by name. */
		private final Map<DispatcherType, Map<String, FastCgiFilterRegistration[]>> byServletName = new EnumMap<>(
				DispatcherType.class);

		Chains(List<FilterMapping> mappings) {
			this.mappings = mappings;
			for (DispatcherType type : DispatcherType.values()) {
				this.byServletName.put(type, new ConcurrentHashMap<>());
				for (FilterMapping mapping : mappings) {
					if (mapping.dependsOnPath(type)) {
						this.pathDependentTypes.add(type);
					}
				}
			}
		}

		FastCgiFilterRegistration[] chainFor(DispatcherType type, String pathWithinContext, String servletName) {
			if (servletName == null || this.pathDependentTypes.contains(type)) {
				return resolve(type, pathWithinContext, servletName);
			}
			Map<String, FastCgiFilterRegistration[]> chains = this.byServletName.get(type);
			FastCgiFilterRegistration[] chain = chains.get(servletName);
			if (chain == null) {
				chain = resolve(type, pathWithinContext, servletName);
				chains.put(servletName, chain);
			}
			return chain;
		}

		private FastCgiFilterRegistration[] resolve(DispatcherType type, String pathWithinContext,
				String servletName) {
			List<FastCgiFilterRegistration> chain = new ArrayList<>();
			for (FilterMapping mapping : this.mappings) {
				if (mapping.matchesPath(type, pathWithinContext) && !chain.contains(mapping.registration())) {
					chain.add(mapping.registration());
				}
			}
			for (FilterMapping mapping : this.mappings) {
				if (mapping.matchesServlet(type, servletName) && !chain.contains(mapping.registration())) {
					chain.add(mapping.registration());
				}
			}
			return chain.toArray(NO_FILTERS);
		}

	}

}
