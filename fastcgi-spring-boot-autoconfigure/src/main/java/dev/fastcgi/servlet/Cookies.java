package dev.fastcgi.servlet;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.Cookie;

/**
 * Reads the {@code Cookie} request header and writes {@code Set-Cookie} response headers after
 * RFC 6265, as Tomcat's default cookie processor does.
 */
final class Cookies {

	private static final DateTimeFormatter EXPIRES_FORMAT = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	private static final List<String> ATTRIBUTES_WRITTEN_FIRST = List.of("max-age", "expires", "domain", "path",
			"secure", "httponly", "samesite", "partitioned", "comment");

	private Cookies() {
	}

	/**
	 * Parses a {@code Cookie} header: {@code name=value} pairs separated by {@code ;}, values
	 * optionally quoted (the quotes are removed). A pair that is not valid is skipped.
	 */
	static List<Cookie> parse(String header) {
		if (header == null) {
			return List.of();
		}
		List<Cookie> cookies = new ArrayList<>();
		for (String pair : header.split(";")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				continue;
			}
			String name = pair.substring(0, equals).trim();
			String value = unquote(pair.substring(equals + 1).trim());
			if (value != null && isToken(name) && isCookieValue(value)) {
				try {
					cookies.add(new Cookie(name, value));
				}
				catch (IllegalArgumentException ex) {
					// A name the Servlet API reserves (such as "Path"): not a cookie
				}
			}
		}
		return cookies;
	}

	private static String unquote(String value) {
		if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			return value.substring(1, value.length() - 1);
		}
		return value.startsWith("\"") ? null : value;
	}

	/**
	 * Formats a {@code Set-Cookie} value as Tomcat does: {@code Expires}, then {@code Max-Age}
	 * unless it is 0 (an expired cookie gets only a past {@code Expires}), {@code Domain},
	 * {@code Path}, {@code Secure} and {@code HttpOnly} first, then any other attribute such as
	 * {@code SameSite} in the order the cookie keeps them (by name).
	 * @throws IllegalArgumentException for a value a cookie cannot carry
	 */
	/**
	 * Formats a {@code Set-Cookie} value; {@code sameSite} is the {@code SameSite} attribute for a
	 * cookie that sets none itself, or {@code null} for none.
	 */
	static String format(Cookie cookie, String sameSite) {
		String value = (cookie.getValue() != null) ? cookie.getValue() : "";
		if (!isCookieValue(value)) {
			throw new IllegalArgumentException("Invalid character in the value of cookie '" + cookie.getName() + "'");
		}
		StringBuilder header = new StringBuilder(64).append(cookie.getName()).append('=').append(value);
		int maxAge = cookie.getMaxAge();
		if (maxAge >= 0) {
			Instant expires = (maxAge == 0) ? Instant.EPOCH.plusSeconds(10)
					: Instant.now().plusSeconds(maxAge);
			header.append("; Expires=").append(EXPIRES_FORMAT.format(expires));
			if (maxAge > 0) {
				header.append("; Max-Age=").append(maxAge);
			}
		}
		appendAttribute(header, "Domain", cookie.getDomain());
		appendAttribute(header, "Path", cookie.getPath());
		if (cookie.getSecure()) {
			header.append("; Secure");
		}
		if (cookie.isHttpOnly()) {
			header.append("; HttpOnly");
		}
		String ownSameSite = cookie.getAttribute("SameSite");
		appendAttribute(header, "SameSite", (ownSameSite != null) ? ownSameSite : sameSite);
		String partitioned = cookie.getAttribute("Partitioned");
		if (partitioned != null && (partitioned.isEmpty() || Boolean.parseBoolean(partitioned))) {
			header.append("; Partitioned");
		}
		for (Map.Entry<String, String> attribute : cookie.getAttributes().entrySet()) {
			if (!ATTRIBUTES_WRITTEN_FIRST.contains(attribute.getKey().toLowerCase(Locale.ROOT))) {
				if (attribute.getValue().isEmpty()) {
					checkAttribute(attribute.getKey());
					header.append("; ").append(attribute.getKey());
				}
				else {
					appendAttribute(header, attribute.getKey(), attribute.getValue());
				}
			}
		}
		return header.toString();
	}

	private static void appendAttribute(StringBuilder header, String name, String value) {
		if (value != null) {
			checkAttribute(name);
			checkAttribute(value);
			header.append("; ").append(name).append('=').append(value);
		}
	}

	private static void checkAttribute(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c == 0x7F || c == ';' || c > 0xFF) {
				throw new IllegalArgumentException("Invalid character in cookie attribute '" + text + "'");
			}
		}
	}

	/** RFC 6265 cookie-octets (or the empty value). */
	private static boolean isCookieValue(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x21 || c > 0x7E || c == '"' || c == ',' || c == ';' || c == '\\') {
				return false;
			}
		}
		return true;
	}

	private static boolean isToken(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
				return false;
			}
		}
		return true;
	}

}
