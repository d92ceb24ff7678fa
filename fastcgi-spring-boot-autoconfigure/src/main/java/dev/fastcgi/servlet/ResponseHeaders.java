package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * The headers an application set on a response, in the order first set, names case-insensitive.
 * <p>
 * A response has a handful of headers and frameworks look them up often, so they are kept in a
 * list searched with {@link String#equalsIgnoreCase}: no lower-cased copy of the name per call.
 */
final class ResponseHeaders {

	private final List<Header> headers = new ArrayList<>();

	void set(String name, String value) {
		List<String> values = new ArrayList<>(1);
		values.add(value);
		Header header = new Header(name, values);
		int index = indexOf(name);
		if (index >= 0) {
			this.headers.set(index, header);
		}
		else {
			this.headers.add(header);
		}
	}

	void add(String name, String value) {
		int index = indexOf(name);
		if (index >= 0) {
			this.headers.get(index).values().add(value);
		}
		else {
			List<String> values = new ArrayList<>(1);
			values.add(value);
			this.headers.add(new Header(name, values));
		}
	}

	void remove(String name) {
		int index = indexOf(name);
		if (index >= 0) {
			this.headers.remove(index);
		}
	}

	/** Removes the values of a header that match, such as an earlier session cookie. */
	void removeValues(String name, Predicate<String> matching) {
		int index = indexOf(name);
		if (index >= 0) {
			List<String> values = this.headers.get(index).values();
			values.removeIf(matching);
			if (values.isEmpty()) {
				this.headers.remove(index);
			}
		}
	}

	boolean contains(String name) {
		return indexOf(name) >= 0;
	}

	String get(String name) {
		int index = indexOf(name);
		return (index >= 0) ? this.headers.get(index).values().get(0) : null;
	}

	List<String> getAll(String name) {
		int index = indexOf(name);
		return (index >= 0) ? List.copyOf(this.headers.get(index).values()) : List.of();
	}

	Collection<String> names() {
		List<String> names = new ArrayList<>(this.headers.size());
		for (Header header : this.headers) {
			names.add(header.name());
		}
		return names;
	}

	void clear() {
		this.headers.clear();
	}

	/** Appends {@code Name: value} lines for every value. */
	void writeTo(OutputStream stdout) throws IOException {
		for (Header header : this.headers) {
			for (String value : header.values()) {
				CgiHeaderLines.header(stdout, header.name(), value);
			}
		}
	}

	private int indexOf(String name) {
		for (int i = 0; i < this.headers.size(); i++) {
			if (this.headers.get(i).name().equalsIgnoreCase(name)) {
				return i;
			}
		}
		return -1;
	}

	private record Header(String name, List<String> values) {
	}

}
