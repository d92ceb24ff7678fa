package dev.fastcgi.servlet;

import java.util.Locale;

import dev.fastcgi.server.Params;

/**
 * What the web server's CGI params say about a request and its connection, derived the same way
 * for lighttpd, nginx and Apache (see the project's FastCGI facts): the raw target, path and
 * query, from REQUEST_URI, the scheme from REQUEST_SCHEME or HTTPS, host and port from the Host header before
 * SERVER_NAME and SERVER_PORT.
 */
final class CgiEnvironment {

	private final Params params;

	private final RequestHeaders headers;

	private final String rawPath;

	private final String queryString;

	/** Kept: frameworks ask for the method many times per request. */
	private final String method;

	private final String scheme;

	private final String serverName;

	private final int serverPort;

	/** Kept, as the method: Spring Security asks for the user several times per request. */
	private final String remoteUser;

	CgiEnvironment(Params params) {
		this.params = params;
		this.method = orElse(params.getNonEmpty("REQUEST_METHOD"), "GET");
		this.headers = new RequestHeaders(params, !mayHaveBody(this.method));
		String target = requestTarget(params);
		int question = target.indexOf('?');
		this.rawPath = (question >= 0) ? target.substring(0, question) : target;
		// the query as the browser sent it, as the path: lighttpd's QUERY_STRING is re-encoded
		String query = (question >= 0) ? target.substring(question + 1) : params.get("QUERY_STRING");
		// Like Tomcat, a target ending in "?" has an empty query string, one without "?" none.
		this.queryString = (query == null || (query.isEmpty() && question < 0)) ? null : query;
		this.scheme = scheme(params);
		String host = this.headers.get("Host");
		if (host != null && host.isEmpty()) {
			host = null;
		}
		int hostPortStart = (host != null) ? portSeparator(host) : -1;
		this.serverName = (host != null) ? ((hostPortStart >= 0) ? host.substring(0, hostPortStart) : host)
				: orElse(params.getNonEmpty("SERVER_NAME"), "localhost");
		int port = (hostPortStart >= 0) ? parsePort(host.substring(hostPortStart + 1)) : -1;
		if (port < 0) {
			port = parsePort(params.get("SERVER_PORT"));
		}
		this.serverPort = (port >= 0) ? port : defaultPort(this.scheme);
		this.remoteUser = (params.get("REMOTE_PASSWD") != null || authType() == null) ? null
				: params.getNonEmpty("REMOTE_USER");
	}

	/**
	 * Whether a request of the method is one a browser sends a body with, and a {@code
	 * Content-Length} of 0 when the body is empty. lighttpd sends {@code CONTENT_LENGTH=0} for
	 * every request without a body, where the browser sent no {@code Content-Length} and Tomcat
	 * reports none.
	 */
	private static boolean mayHaveBody(String method) {
		return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
	}

	/**
	 * REQUEST_URI, without scheme and authority if the client sent the absolute form; else
	 * SCRIPT_NAME + PATH_INFO re-encoded, plus the query.
	 */
	private static String requestTarget(Params params) {
		String requestUri = params.getNonEmpty("REQUEST_URI");
		if (requestUri != null) {
			return withoutSchemeAndAuthority(requestUri);
		}
		String path = orElse(params.get("SCRIPT_NAME"), "") + orElse(params.get("PATH_INFO"), "");
		return path.isEmpty() ? "/" : RequestPaths.encode(path);
	}

	private static String withoutSchemeAndAuthority(String target) {
		String lowerCase = target.toLowerCase(Locale.ROOT);
		if (!lowerCase.startsWith("http://") && !lowerCase.startsWith("https://")) {
			return target;
		}
		int authorityStart = target.indexOf("//") + 2;
		int pathStart = target.indexOf('/', authorityStart);
		int queryStart = target.indexOf('?', authorityStart);
		if (pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) {
			return "/" + ((queryStart >= 0) ? target.substring(queryStart) : "");
		}
		return target.substring(pathStart);
	}

	private static String scheme(Params params) {
		String requestScheme = params.getNonEmpty("REQUEST_SCHEME");
		if (requestScheme != null) {
			return requestScheme.toLowerCase(Locale.ROOT);
		}
		String https = params.get("HTTPS");
		return ("on".equalsIgnoreCase(https) || "1".equals(https)) ? "https" : "http";
	}

	/** The index of the colon before the port, or -1; IPv6 literals keep their brackets. */
	private static int portSeparator(String host) {
		int colon = host.lastIndexOf(':');
		return (colon > host.lastIndexOf(']')) ? colon : -1;
	}

	private static int parsePort(String port) {
		if (port == null || port.isEmpty()) {
			return -1;
		}
		try {
			int value = Integer.parseInt(port);
			return (value >= 0 && value <= 65535) ? value : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** {@code scheme://host}, with {@code :port} unless it is the scheme's default. */
	String origin() {
		return this.scheme + "://" + this.serverName
				+ ((this.serverPort != defaultPort(this.scheme)) ? ":" + this.serverPort : "");
	}

	static int defaultPort(String scheme) {
		return "https".equals(scheme) ? 443 : 80;
	}

	private static String orElse(String value, String fallback) {
		return (value != null) ? value : fallback;
	}

	RequestHeaders headers() {
		return this.headers;
	}

	/** The path as received, escapes and path parameters included. */
	String rawPath() {
		return this.rawPath;
	}

	String queryString() {
		return this.queryString;
	}

	String method() {
		return this.method;
	}

	String protocol() {
		return orElse(this.params.getNonEmpty("SERVER_PROTOCOL"), "HTTP/1.1");
	}

	String scheme() {
		return this.scheme;
	}

	boolean isSecure() {
		return "https".equals(this.scheme);
	}

	String serverName() {
		return this.serverName;
	}

	int serverPort() {
		return this.serverPort;
	}

	String remoteAddr() {
		return orElse(this.params.getNonEmpty("REMOTE_ADDR"), "127.0.0.1");
	}

	String remoteHost() {
		return orElse(this.params.getNonEmpty("REMOTE_HOST"), remoteAddr());
	}

	int remotePort() {
		return Math.max(parsePort(this.params.get("REMOTE_PORT")), 0);
	}

	String localAddr() {
		return orElse(this.params.getNonEmpty("SERVER_ADDR"), "127.0.0.1");
	}

	String localName() {
		return orElse(this.params.getNonEmpty("SERVER_NAME"), this.serverName);
	}

	int localPort() {
		int port = parsePort(this.params.get("SERVER_PORT"));
		return (port >= 0) ? port : this.serverPort;
	}

	/**
	 * REMOTE_USER, the user the web server authenticated, which it says with AUTH_TYPE
	 * (lighttpd's and Apache's authentication, an authorizer's Variable-AUTH_TYPE). Without
	 * AUTH_TYPE it is only a claim: nginx's stock fastcgi_params send {@code $remote_user}, the
	 * name in any Basic Authorization header, checked or not. Beside REMOTE_PASSWD (Apache
	 * mod_authnz_fcgi asking an authenticator to check a password) it is a claim too.
	 */
	String remoteUser() {
		return this.remoteUser;
	}

	String authType() {
		return this.params.getNonEmpty("AUTH_TYPE");
	}

	/** CONTENT_LENGTH, or -1 when absent, empty, not a number, or 0 for a method without a body. */
	long contentLength() {
		String value = this.headers.get("Content-Length");
		if (value == null) {
			return -1;
		}
		try {
			long length = Long.parseLong(value);
			return (length >= 0) ? length : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
