package dev.fastcgi.servlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.fastcgi.server.Params;

/**
 * The request headers a web server passed as CGI params: {@code HTTP_*} with underscores turned
 * into dashes, plus {@code CONTENT_TYPE} and {@code CONTENT_LENGTH}. {@code HTTP_PROXY} is dropped
 * (the "httpoxy" attack) and an empty param counts as absent. A header the client sent on several
 * lines arrives as a repeated param (nginx sends each line), and keeps its values in order as on
 * Tomcat; {@code CONTENT_TYPE} and {@code CONTENT_LENGTH} replace what their {@code HTTP_*} twins
 * said. Looked up case-insensitively, with {@link String#equalsIgnoreCase} over the few headers
 * of a request: no lower-cased copy of the name per lookup.
 */
final class RequestHeaders {

	private static final String HTTP_PREFIX = "HTTP_";

	/** Bounds the header names remembered, against clients that send a new one with every request. */
	private static final int MAX_REMEMBERED_NAMES = 512;

	/** Header names made from CGI names before: the same few dozen come with every request. */
	private static final Map<String, String> headerNames = new ConcurrentHashMap<>();

	private final Params params;

	private final List<Header> headers = new ArrayList<>();

	RequestHeaders(Params params) {
		this.params = params;
		for (int i = 0; i < params.size(); i++) {
			String name = params.nameAt(i);
			if (name.startsWith(HTTP_PREFIX) && !name.equals("HTTP_PROXY")) {
				add(headerName(name), i);
			}
		}
		replace("Content-Type", params.lastIndexOf("CONTENT_TYPE"));
		replace("Content-Length", params.lastIndexOf("CONTENT_LENGTH"));
	}

	/** Keeps where the value is: most are never asked for, and stay bytes. */
	private void add(String name, int paramIndex) {
		if (this.params.isEmptyAt(paramIndex)) {
			return;
		}
		Header header = find(name);
		if (header == null) {
			header = new Header(name, new ArrayList<>(1));
			this.headers.add(header);
		}
		header.paramIndexes().add(paramIndex);
	}

	private void replace(String name, int paramIndex) {
		if (paramIndex >= 0) {
			Header replaced = find(name);
			if (replaced != null) {
				this.headers.remove(replaced);
			}
			add(name, paramIndex);
		}
	}

	private static String headerName(String cgiName) {
		String name = headerNames.get(cgiName);
		if (name == null) {
			name = toHeaderName(cgiName);
			if (headerNames.size() < MAX_REMEMBERED_NAMES) {
				headerNames.put(cgiName, name);
			}
		}
		return name;
	}

	/** {@code HTTP_ACCEPT_LANGUAGE} becomes {@code Accept-Language}. */
	private static String toHeaderName(String cgiName) {
		StringBuilder name = new StringBuilder(cgiName.length() - HTTP_PREFIX.length());
		boolean wordStart = true;
		for (int i = HTTP_PREFIX.length(); i < cgiName.length(); i++) {
			char c = cgiName.charAt(i);
			if (c == '_') {
				name.append('-');
				wordStart = true;
			}
			else {
				name.append(wordStart ? Character.toUpperCase(c) : Character.toLowerCase(c));
				wordStart = false;
			}
		}
		return name.toString();
	}

	/** The first value of the header, or {@code null}. */
	String get(String name) {
		Header header = find(name);
		return (header != null) ? this.params.valueAt(header.paramIndexes().get(0)) : null;
	}

	List<String> getAll(String name) {
		Header header = find(name);
		if (header == null) {
			return List.of();
		}
		List<String> values = new ArrayList<>(header.paramIndexes().size());
		for (int paramIndex : header.paramIndexes()) {
			values.add(this.params.valueAt(paramIndex));
		}
		return Collections.unmodifiableList(values);
	}

	List<String> names() {
		List<String> names = new ArrayList<>(this.headers.size());
		for (Header header : this.headers) {
			names.add(header.name());
		}
		return Collections.unmodifiableList(names);
	}

	private Header find(String name) {
		for (Header header : this.headers) {
			if (header.name().equalsIgnoreCase(name)) {
				return header;
			}
		}
		return null;
	}

	/** A header and where its values are among the params, in the order the client sent them. */
	private record Header(String name, List<Integer> paramIndexes) {
	}

}
