package dev.fastcgi.security;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link FastCgiAuthorizer} decided: allow, with the variables handed to the web server,
 * or deny, with the status (and headers such as {@code WWW-Authenticate} or {@code Location})
 * the web server sends to the client as they are.
 */
public final class AuthorizerDecision {

	private final int status;

	private final AuthorizerVariables variables;

	private final Map<String, String> headers;

	private AuthorizerDecision(int status, AuthorizerVariables variables, Map<String, String> headers) {
		this.status = status;
		this.variables = variables;
		this.headers = headers;
	}

	public static AuthorizerDecision allow() {
		return allow(new AuthorizerVariables());
	}

	public static AuthorizerDecision allow(AuthorizerVariables variables) {
		return new AuthorizerDecision(200, variables, Map.of());
	}

	/**
	 * Denies with a status other than 200, since 200 is what allows the request: typically 401
	 * (with a {@code WWW-Authenticate} header), 403, or a redirect to a login page.
	 */
	public static AuthorizerDecision deny(int status) {
		if (status == 200 || status < 100 || status > 599) {
			throw new IllegalArgumentException("A denial needs an HTTP status other than 200, not " + status);
		}
		return new AuthorizerDecision(status, new AuthorizerVariables(), Map.of());
	}

	/** This denial with a header for the client added. */
	public AuthorizerDecision withHeader(String name, String value) {
		if (isAllowed()) {
			throw new IllegalStateException(
					"An allowed request's headers are dropped by the web server; use variables");
		}
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new AuthorizerDecision(this.status, this.variables, Collections.unmodifiableMap(headers));
	}

	public boolean isAllowed() {
		return this.status == 200;
	}

	public int status() {
		return this.status;
	}

	public AuthorizerVariables variables() {
		return this.variables;
	}

	public Map<String, String> headers() {
		return this.headers;
	}

}
