package dev.fastcgi.servlet;

import java.util.Locale;

/**
 * A {@code Content-Type} value split into its charset parameter and the rest, as the servlet API
 * keeps the two apart.
 *
 * @param withoutCharset the media type and any other parameters
 * @param charset the charset, unquoted, or {@code null}
 */
record ContentType(String withoutCharset, String charset) {

	static ContentType parse(String value) {
		if (value.indexOf(';') < 0) {
			return new ContentType(value, null);
		}
		String[] parts = value.split(";");
		StringBuilder rest = new StringBuilder(parts[0].trim());
		String charset = null;
		for (int i = 1; i < parts.length; i++) {
			String parameter = parts[i].trim();
			if (parameter.toLowerCase(Locale.ROOT).startsWith("charset=")) {
				charset = unquote(parameter.substring("charset=".length()).trim());
			}
			else if (!parameter.isEmpty()) {
				rest.append(';').append(parameter);
			}
		}
		if (charset == null) {
			return new ContentType(value, null);
		}
		return new ContentType(rest.toString(), charset.isEmpty() ? null : charset);
	}

	/** The value of a parameter such as {@code boundary}, unquoted, or {@code null}. */
	String parameter(String name) {
		String prefix = name.toLowerCase(Locale.ROOT) + "=";
		for (String part : this.withoutCharset.split(";")) {
			String parameter = part.trim();
			if (parameter.toLowerCase(Locale.ROOT).startsWith(prefix)) {
				return unquote(parameter.substring(prefix.length()).trim());
			}
		}
		return null;
	}

	/** The media type alone, lower case, such as {@code multipart/form-data}. */
	String mediaType() {
		int semicolon = this.withoutCharset.indexOf(';');
		String type = (semicolon >= 0) ? this.withoutCharset.substring(0, semicolon) : this.withoutCharset;
		return type.trim().toLowerCase(Locale.ROOT);
	}

	private static String unquote(String value) {
		return (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\""))
				? value.substring(1, value.length() - 1) : value;
	}

}
