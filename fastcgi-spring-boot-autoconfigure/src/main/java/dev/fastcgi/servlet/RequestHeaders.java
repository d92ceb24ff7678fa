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
 * (the "httpoxy" attack); an empty {@code CONTENT_TYPE} or {@code CONTENT_LENGTH} counts as absent. A header the client sent on several
 * lines arrives as a repeated param (nginx sends each line), and keeps its values in order as on
 * Tomcat; {@code CONTENT_TYPE} and {@code CONTENT_LENGTH} replace what their {@code HTTP_*} twins
 * said, and a {@code CONTENT_LENGTH} of 0 can be told to count as absent. Looked up case-insensitively, with {@link String#equalsIgnoreCase} over the few headers
 * of a request: no lower-cased copy of the name per lookup.
 */
final class RequestHeaders {

	private static final String HTTP_PREFIX = "HTTP_";

	/** Bounds the header names remembered, against clients that send a new one with every request. */
	private static final int MAX_REMEMBERED_NAMES = 512;

	/** Header names made from CGI names before: the same few dozen come with every request. */
	private static final Map<String, String> headerNames = new ConcurrentHashMap<>();

	private final Params params;

	/**
	 * The name of each header value, in the order received, beside where its value is among the
	 * params: a header sent on several lines has an entry per line. Two arrays rather than an
	 * object per header: a browser sends a dozen headers with every request.
	 */
	private final String[] names;

	private final int[] paramIndexes;

	private int count;

	/**
	 * @param zeroLengthIsNone whether {@code CONTENT_LENGTH=0} means the client sent no
	 * {@code Content-Length} (lighttpd sends it for every request without a body)
	 */
	RequestHeaders(Params params, boolean zeroLengthIsNone) {
		this.params = params;
		// room for the HTTP_* params, and for CONTENT_TYPE and CONTENT_LENGTH
		int capacity = 2;
		for (int i = 0; i < params.size(); i++) {
			if (isHeader(params.nameAt(i))) {
				capacity++;
			}
		}
		this.names = new String[capacity];
		this.paramIndexes = new int[capacity];
		for (int i = 0; i < params.size(); i++) {
			String name = params.nameAt(i);
			if (isHeader(name)) {
				add(headerName(name), i);
			}
		}
		replace("Content-Type", params.lastIndexOf("CONTENT_TYPE"));
		int contentLength = params.lastIndexOf("CONTENT_LENGTH");
		if (zeroLengthIsNone && contentLength >= 0 && "0".equals(params.valueAt(contentLength))) {
			remove("Content-Length");
		}
		else {
			replace("Content-Length", contentLength);
		}
	}

	private static boolean isHeader(String paramName) {
		return paramName.startsWith(HTTP_PREFIX) && !paramName.equals("HTTP_PROXY");
	}

	/** Keeps where the value is: most are never asked for, and stay bytes. */
	private void add(String name, int paramIndex) {
		this.names[this.count] = name;
		this.paramIndexes[this.count] = paramIndex;
		this.count++;
	}

	/**
	 * {@code CONTENT_TYPE} or {@code CONTENT_LENGTH}, unless empty: nginx's stock params send them
	 * empty for a request without them, where an empty {@code HTTP_*} param is a header the
	 * client sent empty, which Tomcat reports too.
	 */
	private void addUnlessEmpty(String name, int paramIndex) {
		if (this.params.isEmptyAt(paramIndex)) {
			return;
		}
		add(name, paramIndex);
	}

	/** Drops the values a header had so far for the one at the param index. */
	private void replace(String name, int paramIndex) {
		if (paramIndex >= 0) {
			remove(name);
			addUnlessEmpty(name, paramIndex);
		}
	}

	private void remove(String name) {
		int kept = 0;
		for (int i = 0; i < this.count; i++) {
			if (!this.names[i].equalsIgnoreCase(name)) {
				this.names[kept] = this.names[i];
				this.paramIndexes[kept] = this.paramIndexes[i];
				kept++;
			}
		}
		this.count = kept;
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
		for (int i = 0; i < this.count; i++) {
			if (this.names[i].equalsIgnoreCase(name)) {
				return this.params.valueAt(this.paramIndexes[i]);
			}
		}
		return null;
	}

	List<String> getAll(String name) {
		List<String> values = null;
		for (int i = 0; i < this.count; i++) {
			if (this.names[i].equalsIgnoreCase(name)) {
				if (values == null) {
					values = new ArrayList<>(1);
				}
				values.add(this.params.valueAt(this.paramIndexes[i]));
			}
		}
		return (values != null) ? Collections.unmodifiableList(values) : List.of();
	}

	/** Each header's name once, in the order the headers first came. */
	List<String> names() {
		List<String> names = new ArrayList<>(this.count);
		for (int i = 0; i < this.count; i++) {
			if (!names.contains(this.names[i])) {
				names.add(this.names[i]);
			}
		}
		return Collections.unmodifiableList(names);
	}

}
