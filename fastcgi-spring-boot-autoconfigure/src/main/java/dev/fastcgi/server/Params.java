package dev.fastcgi.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The name-value pairs of a request's PARAMS stream, kept in arrival order. A name sent twice
 * (nginx sends a param set twice in its configuration twice) answers {@link #get} with the last
 * value.
 */
public final class Params {

	private final List<String> names = new ArrayList<>();

	private final List<String> values = new ArrayList<>();

	private final Map<String, String> lastByName = new HashMap<>();

	public void add(String name, String value) {
		this.names.add(name);
		this.values.add(value);
		this.lastByName.put(name, value);
	}

	/** The last value sent for the name, or {@code null}. */
	public String get(String name) {
		return this.lastByName.get(name);
	}

	/** The last value sent for the name when it is not empty, else {@code null}. */
	public String getNonEmpty(String name) {
		String value = this.lastByName.get(name);
		return (value == null || value.isEmpty()) ? null : value;
	}

	public int size() {
		return this.names.size();
	}

	public String nameAt(int index) {
		return this.names.get(index);
	}

	public String valueAt(int index) {
		return this.values.get(index);
	}

	/** The distinct names, last value each, in no particular order. */
	public Map<String, String> asMap() {
		return Collections.unmodifiableMap(this.lastByName);
	}

	@Override
	public String toString() {
		return this.lastByName.toString();
	}

}
