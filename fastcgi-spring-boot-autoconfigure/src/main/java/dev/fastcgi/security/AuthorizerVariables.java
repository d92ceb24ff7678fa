package dev.fastcgi.security;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The variables an authorizer hands to the web server when it allows a request: each becomes a
 * {@code Variable-NAME: value} header, which lighttpd and Apache turn into the variable
 * {@code NAME} for whatever serves the request next (a responder's params, a CGI environment).
 * <p>
 * Names and values are checked as they are put, because they end up in an environment and in a
 * CGI header block: a name is a letter or underscore followed by letters, digits and
 * underscores; a value holds no control characters (CR or LF would start another header, NUL
 * cannot be in an environment). Values are sent UTF-8 encoded.
 */
public final class AuthorizerVariables {

	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private final Map<String, String> variables = new LinkedHashMap<>();

	/**
	 * Sets a variable, replacing one of the same name.
	 * @throws IllegalArgumentException if the name or the value cannot be a CGI variable
	 */
	public AuthorizerVariables put(String name, String value) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"An authorizer variable name must match " + NAME + ", not '" + name + "'");
		}
		if (value == null) {
			throw new IllegalArgumentException("The authorizer variable " + name + " has no value");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isISOControl(c)) {
				throw new IllegalArgumentException("The value of the authorizer variable " + name
						+ " contains the control character U+%04X".formatted((int) c));
			}
		}
		this.variables.put(name, value);
		return this;
	}

	public String get(String name) {
		return this.variables.get(name);
	}

	/** The variables in the order they were first put. */
	public Map<String, String> asMap() {
		return Collections.unmodifiableMap(this.variables);
	}

	/**
	 * A value as the header block carries it: its UTF-8 bytes, one char per byte, as the bridge
	 * writes headers ISO-8859-1 encoded.
	 */
	static String headerValue(String value) {
		return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
	}

	@Override
	public String toString() {
		return this.variables.toString();
	}

}
