package dev.fastcgi.servlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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

	private final List<Header> headers = new ArrayList<>();

	RequestHeaders(Params params) {
		for (int i = 0; i < params.size(); i++) {
			String name = params.nameAt(i);
			if (name.startsWith(HTTP_PREFIX) && !name.equals("HTTP_PROXY")) {
				add(headerName(name), params.valueAt(i));
			}
		}
		replace("Content-Type", params.get("CONTENT_TYPE"));
		replace("Content-Length", params.get("CONTENT_LENGTH"));
	}

	private void add(String name, String value) {
		if (value.isEmpty()) {
			return;
		}
		Header header = find(name);
		if (header == null) {
			header = new Header(name, new ArrayList<>(1));
			this.headers.add(header);
		}
		header.values().add(value);
	}

	private void replace(String name, String value) {
		if (value != null) {
			Header replaced = find(name);
			if (replaced != null) {
				this.headers.remove(replaced);
			}
			add(name, value);
		}
	}

	/** {@code HTTP_ACCEPT_LANGUAGE} becomes {@code Accept-Language}. */
	private static String headerName(String cgiName) {
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
		return (header != null) ? header.values().get(0) : null;
	}

	List<String> getAll(String name) {
		Header header = find(name);
		return (header != null) ? Collections.unmodifiableList(header.values()) : List.of();
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

	private record Header(String name, List<String> values) {
	}

}
