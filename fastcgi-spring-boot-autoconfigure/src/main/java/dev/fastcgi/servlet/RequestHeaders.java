package dev.fastcgi.servlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.fastcgi.server.Params;

/**
 * The request headers a web server passed as CGI params: {@code HTTP_*} with underscores turned
 * into dashes, plus {@code CONTENT_TYPE} and {@code CONTENT_LENGTH}. {@code HTTP_PROXY} is dropped
 * (the "httpoxy" attack) and an empty param counts as absent. A header the client sent on several
 * lines arrives as a repeated param (nginx sends each line), and keeps its values in order as on
 * Tomcat; {@code CONTENT_TYPE} and {@code CONTENT_LENGTH} replace what their {@code HTTP_*} twins
 * said. Looked up case-insensitively.
 */
final class RequestHeaders {

	private static final String HTTP_PREFIX = "HTTP_";

	private final Map<String, Header> byLowerCaseName = new LinkedHashMap<>();

	RequestHeaders(Params params) {
		for (int i = 0; i < params.size(); i++) {
			String name = params.nameAt(i);
			if (name.startsWith(HTTP_PREFIX) && !name.equals("HTTP_PROXY")) {
				add(headerName(name.substring(HTTP_PREFIX.length())), params.valueAt(i));
			}
		}
		replace("Content-Type", params.get("CONTENT_TYPE"));
		replace("Content-Length", params.get("CONTENT_LENGTH"));
	}

	private void add(String name, String value) {
		if (!value.isEmpty()) {
			this.byLowerCaseName.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new Header(name, new ArrayList<>()))
				.values()
				.add(value);
		}
	}

	private void replace(String name, String value) {
		if (value != null) {
			this.byLowerCaseName.remove(name.toLowerCase(Locale.ROOT));
			add(name, value);
		}
	}

	/** {@code ACCEPT_LANGUAGE} becomes {@code Accept-Language}. */
	static String headerName(String cgiName) {
		StringBuilder name = new StringBuilder(cgiName.length());
		boolean wordStart = true;
		for (int i = 0; i < cgiName.length(); i++) {
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
		List<String> values = getAll(name);
		return values.isEmpty() ? null : values.get(0);
	}

	List<String> getAll(String name) {
		Header header = this.byLowerCaseName.get(name.toLowerCase(Locale.ROOT));
		return (header != null) ? Collections.unmodifiableList(header.values()) : List.of();
	}

	List<String> names() {
		List<String> names = new ArrayList<>(this.byLowerCaseName.size());
		this.byLowerCaseName.values().forEach((header) -> names.add(header.name()));
		return Collections.unmodifiableList(names);
	}

	private record Header(String name, List<String> values) {
	}

}
