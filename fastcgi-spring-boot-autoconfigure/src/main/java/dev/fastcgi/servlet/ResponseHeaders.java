package dev.fastcgi.servlet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The headers an application set on a response, in the order first set, names case-insensitive.
 */
final class ResponseHeaders {

	private final Map<String, Header> byLowerCaseName = new LinkedHashMap<>();

	void set(String name, String value) {
		List<String> values = new ArrayList<>(1);
		values.add(value);
		this.byLowerCaseName.put(key(name), new Header(name, values));
	}

	void add(String name, String value) {
		this.byLowerCaseName.computeIfAbsent(key(name), (key) -> new Header(name, new ArrayList<>(1)))
			.values()
			.add(value);
	}

	void remove(String name) {
		this.byLowerCaseName.remove(key(name));
	}

	/** Removes the values of a header that match, such as an earlier session cookie. */
	void removeValues(String name, Predicate<String> matching) {
		Header header = this.byLowerCaseName.get(key(name));
		if (header != null) {
			header.values().removeIf(matching);
			if (header.values().isEmpty()) {
				remove(name);
			}
		}
	}

	boolean contains(String name) {
		return this.byLowerCaseName.containsKey(key(name));
	}

	String get(String name) {
		Header header = this.byLowerCaseName.get(key(name));
		return (header != null) ? header.values().get(0) : null;
	}

	List<String> getAll(String name) {
		Header header = this.byLowerCaseName.get(key(name));
		return (header != null) ? List.copyOf(header.values()) : List.of();
	}

	Collection<String> names() {
		return this.byLowerCaseName.values().stream().map(Header::name).toList();
	}

	void clear() {
		this.byLowerCaseName.clear();
	}

	/** Appends {@code Name: value} lines for every value. */
	void appendTo(StringBuilder block) {
		for (Header header : this.byLowerCaseName.values()) {
			for (String value : header.values()) {
				block.append(header.name()).append(": ").append(value).append("\r\n");
			}
		}
	}

	private static String key(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

	private record Header(String name, List<String> values) {
	}

}
