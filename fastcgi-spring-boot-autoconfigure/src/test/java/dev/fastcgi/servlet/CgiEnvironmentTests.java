package dev.fastcgi.servlet;

import org.junit.jupiter.api.Test;

import dev.fastcgi.server.Params;

import static org.assertj.core.api.Assertions.assertThat;

class CgiEnvironmentTests {

	/** nginx with the stock fastcgi_params plus Debian's HTTP_HOST ($host: port stripped). */
	@Test
	void nginx() {
		Params params = params("QUERY_STRING", "x=1", "REQUEST_METHOD", "GET", "CONTENT_TYPE", "", "CONTENT_LENGTH",
				"", "SCRIPT_NAME", "/app/a b", "REQUEST_URI", "/app/a%20b?x=1", "DOCUMENT_URI", "/app/a b",
				"DOCUMENT_ROOT", "/var/www", "SERVER_PROTOCOL", "HTTP/1.1", "REQUEST_SCHEME", "https", "HTTPS", "on",
				"GATEWAY_INTERFACE", "CGI/1.1", "SERVER_SOFTWARE", "nginx/1.22.1", "REMOTE_ADDR", "203.0.113.9",
				"REMOTE_PORT", "51234", "REMOTE_USER", "", "SERVER_ADDR", "192.0.2.10", "SERVER_PORT", "8443",
				"SERVER_NAME", "example.com", "REDIRECT_STATUS", "200", "HTTP_HOST", "example.com", "HTTP_ACCEPT",
				"*/*", "HTTP_PROXY", "http://evil", "HTTP_X_FORWARDED_FOR", "198.51.100.1", "HTTP_ACCEPT", "text/html");
		CgiEnvironment environment = new CgiEnvironment(params);
		assertThat(environment.rawPath()).isEqualTo("/app/a%20b");
		assertThat(environment.queryString()).isEqualTo("x=1");
		assertThat(environment.scheme()).isEqualTo("https");
		assertThat(environment.isSecure()).isTrue();
		assertThat(environment.serverName()).isEqualTo("example.com");
		assertThat(environment.serverPort()).isEqualTo(8443);
		assertThat(environment.remoteAddr()).isEqualTo("203.0.113.9");
		assertThat(environment.remotePort()).isEqualTo(51234);
		assertThat(environment.localAddr()).isEqualTo("192.0.2.10");
		assertThat(environment.localPort()).isEqualTo(8443);
		assertThat(environment.remoteUser()).isNull();
		assertThat(environment.contentLength()).isEqualTo(-1);
		RequestHeaders headers = environment.headers();
		assertThat(headers.get("content-type")).isNull();
		assertThat(headers.get("Proxy")).isNull();
		assertThat(headers.get("ACCEPT")).isEqualTo("*/*");
		assertThat(headers.getAll("accept")).containsExactly("*/*", "text/html");
		assertThat(headers.names()).containsExactly("Host", "Accept", "X-Forwarded-For");
	}

	/** lighttpd: CONTENT_TYPE but no HTTP_CONTENT_TYPE, the Host header with its port, HTTPS absent. */
	@Test
	void lighttpd() {
		Params params = params("CONTENT_LENGTH", "11", "CONTENT_TYPE", "application/x-www-form-urlencoded",
				"SCRIPT_NAME", "/app/foo", "PATH_INFO", "/bar", "REQUEST_URI", "/app/foo/bar?x=1", "QUERY_STRING",
				"x=1", "REQUEST_METHOD", "POST", "SERVER_NAME", "localhost", "SERVER_PORT", "80", "SERVER_ADDR",
				"127.0.0.1", "REMOTE_ADDR", "::1", "REMOTE_PORT", "40000", "SERVER_PROTOCOL", "HTTP/1.0",
				"HTTP_HOST", "localhost:8080", "HTTP_USER_AGENT", "curl/7.88");
		CgiEnvironment environment = new CgiEnvironment(params);
		assertThat(environment.rawPath()).isEqualTo("/app/foo/bar");
		assertThat(environment.scheme()).isEqualTo("http");
		assertThat(environment.serverName()).isEqualTo("localhost");
		assertThat(environment.serverPort()).isEqualTo(8080);
		assertThat(environment.localPort()).isEqualTo(80);
		assertThat(environment.protocol()).isEqualTo("HTTP/1.0");
		assertThat(environment.contentLength()).isEqualTo(11);
		assertThat(environment.headers().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
		assertThat(environment.headers().get("Content-Length")).isEqualTo("11");
		assertThat(environment.headers().get("User-Agent")).isEqualTo("curl/7.88");
	}

	/** Apache mod_proxy_fcgi: HTTPS=on without REQUEST_SCHEME, an IPv6 Host, a chunked body. */
	@Test
	void apache() {
		Params params = params("HTTP_HOST", "[2001:db8::1]:8443", "HTTPS", "on", "SERVER_NAME", "2001:db8::1",
				"SERVER_PORT", "8443", "REMOTE_ADDR", "2001:db8::2", "REMOTE_PORT", "5555", "REQUEST_METHOD", "PUT",
				"SCRIPT_NAME", "/app/x", "REQUEST_URI", "/app/x", "QUERY_STRING", "", "REMOTE_USER", "alice",
				"AUTH_TYPE", "Basic", "HTTP_TRANSFER_ENCODING", "chunked");
		CgiEnvironment environment = new CgiEnvironment(params);
		assertThat(environment.scheme()).isEqualTo("https");
		assertThat(environment.serverName()).isEqualTo("[2001:db8::1]");
		assertThat(environment.serverPort()).isEqualTo(8443);
		assertThat(environment.queryString()).isNull();
		assertThat(environment.contentLength()).isEqualTo(-1);
		assertThat(environment.remoteUser()).isEqualTo("alice");
		assertThat(environment.authType()).isEqualTo("Basic");
		assertThat(environment.method()).isEqualTo("PUT");
	}

	@Test
	void httpsOffIsNotSecureAndMissingPortsFallBackToTheSchemeDefault() {
		CgiEnvironment environment = new CgiEnvironment(params("HTTPS", "off", "HTTP_HOST", "[::1]",
				"REQUEST_URI", "/"));
		assertThat(environment.isSecure()).isFalse();
		assertThat(environment.serverName()).isEqualTo("[::1]");
		assertThat(environment.serverPort()).isEqualTo(80);
		assertThat(new CgiEnvironment(params("HTTPS", "1", "REQUEST_URI", "/")).serverPort()).isEqualTo(443);
	}

	@Test
	void withoutRequestUriThePathIsRebuiltFromScriptNameAndPathInfo() {
		CgiEnvironment environment = new CgiEnvironment(
				params("SCRIPT_NAME", "/app/a b", "PATH_INFO", "/c%d", "QUERY_STRING", "q=1"));
		assertThat(environment.rawPath()).isEqualTo("/app/a%20b/c%25d");
		assertThat(environment.queryString()).isEqualTo("q=1");
		assertThat(environment.method()).isEqualTo("GET");
		assertThat(environment.protocol()).isEqualTo("HTTP/1.1");
	}

	@Test
	void absoluteFormTargetKeepsPathAndQuery() {
		CgiEnvironment environment = new CgiEnvironment(params("REQUEST_URI", "http://example.com:81/p/q?z=2"));
		assertThat(environment.rawPath()).isEqualTo("/p/q");
		assertThat(environment.queryString()).isEqualTo("z=2");
		assertThat(new CgiEnvironment(params("REQUEST_URI", "https://example.com")).rawPath()).isEqualTo("/");
	}

	/**
	 * nginx sends each line of a header the client repeated; Tomcat sees every value, in order. A
	 * header sent empty is there, empty, as on Tomcat; an empty CONTENT_TYPE is nginx's for none.
	 */
	@Test
	void repeatedHeaderParamsKeepEveryValueAndEmptyContentTypeIsAbsent() {
		CgiEnvironment environment = new CgiEnvironment(params("REQUEST_URI", "/", "HTTP_X_A", "1", "HTTP_X_A", "2",
				"HTTP_X_B", "", "CONTENT_TYPE", "text/plain", "HTTP_CONTENT_TYPE", "text/html", "CONTENT_TYPE", ""));
		assertThat(environment.headers().get("x-a")).isEqualTo("1");
		assertThat(environment.headers().getAll("X-A")).containsExactly("1", "2");
		assertThat(environment.headers().get("x-b")).isEmpty();
		assertThat(environment.headers().getAll("content-type")).isEmpty();
		assertThat(environment.headers().names()).containsExactly("X-A", "X-B");
	}

	/** Each name once, in the order of its first line; CONTENT_TYPE's value stands in for the header's. */
	@Test
	void headerNamesComeOnceInTheOrderTheirFirstLineCame() {
		CgiEnvironment environment = new CgiEnvironment(params("REQUEST_URI", "/", "HTTP_ACCEPT", "*/*", "HTTP_X_A", "1",
				"HTTP_CONTENT_TYPE", "text/html", "HTTP_ACCEPT", "text/plain", "HTTP_X_A", "2", "CONTENT_TYPE", "text/csv"));
		assertThat(environment.headers().names()).containsExactly("Accept", "X-A", "Content-Type");
		assertThat(environment.headers().getAll("accept")).containsExactly("*/*", "text/plain");
		assertThat(environment.headers().getAll("Content-Type")).containsExactly("text/csv");
		assertThat(environment.headers().get("X-NONE")).isNull();
		assertThat(environment.headers().getAll("X-NONE")).isEmpty();
	}

	/** Like Tomcat: a target ending in "?" has an empty query string, one without "?" none. */
	@Test
	void emptyQueryStringOnlyWhenTheTargetHasAQuestionMark() {
		assertThat(new CgiEnvironment(params("REQUEST_URI", "/p?", "QUERY_STRING", "")).queryString()).isEmpty();
		assertThat(new CgiEnvironment(params("REQUEST_URI", "/p", "QUERY_STRING", "")).queryString()).isNull();
	}

	/** lighttpd re-encodes QUERY_STRING (an invalid {@code %zz} becomes {@code %25zz}); REQUEST_URI is what the browser sent. */
	@Test
	void theQueryComesFromTheRawTargetBeforeQueryString() {
		assertThat(new CgiEnvironment(params("REQUEST_URI", "/p?bad=%zz&ok=1", "QUERY_STRING", "bad=%25zz&ok=1"))
			.queryString()).isEqualTo("bad=%zz&ok=1");
		assertThat(new CgiEnvironment(params("SCRIPT_NAME", "/p", "QUERY_STRING", "x=1")).queryString()).isEqualTo("x=1");
	}

	/**
	 * lighttpd sends {@code CONTENT_LENGTH=0} for every request without a body, where the browser
	 * sent no {@code Content-Length}; only a POST, PUT or PATCH keeps an explicit 0.
	 */
	@Test
	void aZeroContentLengthCountsOnlyForMethodsThatCarryABody() {
		for (String method : new String[] { "GET", "HEAD", "DELETE", "OPTIONS" }) {
			CgiEnvironment environment = new CgiEnvironment(
					params("REQUEST_URI", "/", "REQUEST_METHOD", method, "CONTENT_LENGTH", "0"));
			assertThat(environment.contentLength()).as(method).isEqualTo(-1);
			assertThat(environment.headers().get("Content-Length")).as(method).isNull();
		}
		for (String method : new String[] { "POST", "PUT", "PATCH" }) {
			CgiEnvironment environment = new CgiEnvironment(
					params("REQUEST_URI", "/", "REQUEST_METHOD", method, "CONTENT_LENGTH", "0"));
			assertThat(environment.contentLength()).as(method).isZero();
			assertThat(environment.headers().get("Content-Length")).as(method).isEqualTo("0");
		}
		assertThat(new CgiEnvironment(params("REQUEST_URI", "/", "REQUEST_METHOD", "DELETE", "CONTENT_LENGTH", "5"))
			.contentLength()).isEqualTo(5);
	}

	/** Apache mod_authnz_fcgi: an authenticator gets the user's claim, an authorizer a user Apache authenticated. */
	@Test
	void remoteUserBesideRemotePasswdIsAClaimNotAnAuthenticatedUser() {
		CgiEnvironment authenticator = new CgiEnvironment(params("REQUEST_URI", "/", "REMOTE_USER", "alice",
				"REMOTE_PASSWD", "secret", "AUTH_TYPE", "Basic", "FCGI_APACHE_ROLE", "AUTHENTICATOR"));
		assertThat(authenticator.remoteUser()).isNull();
		CgiEnvironment authorizer = new CgiEnvironment(params("REQUEST_URI", "/", "REMOTE_USER", "alice", "AUTH_TYPE",
				"Basic", "FCGI_APACHE_ROLE", "AUTHORIZER"));
		assertThat(authorizer.remoteUser()).isEqualTo("alice");
	}

	/** nginx's stock fastcgi_params send $remote_user, the unchecked name of any Basic header. */
	@Test
	void remoteUserWithoutAuthTypeIsAClaimNotAnAuthenticatedUser() {
		CgiEnvironment nginx = new CgiEnvironment(params("REQUEST_URI", "/admin", "REMOTE_USER", "admin",
				"HTTP_AUTHORIZATION", "Basic YWRtaW46d3Jvbmc="));
		assertThat(nginx.remoteUser()).isNull();
	}

	private static Params params(String... namesAndValues) {
		Params params = new Params();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			params.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return params;
	}

}
