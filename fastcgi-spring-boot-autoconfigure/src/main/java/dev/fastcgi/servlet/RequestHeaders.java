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
 * (the "httpoxy" attack), an empty param counts as absent and the last of repeated params wins.
 * Looked up case-insensitively.
 */
final class RequestHeaders {

	private static final String HTTP_PREFIX = "HTTP_";

	private final Map<String, Header> byLowerCaseName = new LinkedHashMap<>();

	RequestHeaders(Params params) {
		for (int i = 0; i < params.size(); i++) {
			String name = params.nameAt(i);
			if (name.startsWith(HTTP_PREFIX) && !name.equals("HTTP_PROXY")) {
				put(headerName(name.substring(HTTP_PREFIX.length())), params.valueAt(i));
			}
		}
		put("Content-Type", params.get("CONTENT_TYPE"));
		put("Content-Length", params.get("CONTENT_LENGTH"));
	}

	private void put(String name, String value) {
		String key = name.toLowerCase(Locale.ROOT);
		if (value == null || value.isEmpty()) {
			if (value != null) {
				this.byLowerCaseName.remove(key);
			}
			return;
		}
		this.byLowerCaseName.put(key, new Header(name, value));
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

	String get(String name) {
		Header header = this.byLowerCaseName.get(name.toLowerCase(Locale.ROOT));
		return (header != null) ? header.value() : null;
	}

	List<String> names() {
		List<String> names = new ArrayList<>(this.byLowerCaseName.size());
		this.byLowerCaseName.values().forEach((header) -> names.add(header.name()));
		return Collections.unmodifiableList(names);
	}

	private record Header(String name, String value) {
	}

}
