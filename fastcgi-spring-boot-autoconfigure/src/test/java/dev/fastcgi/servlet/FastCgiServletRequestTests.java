package dev.fastcgi.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.MappingMatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.fastcgi.protocol.Role;

import static org.assertj.core.api.Assertions.assertThat;

class FastCgiServletRequestTests {

	private final ServletFixture fixture = new ServletFixture("/app");

	private final AtomicReference<Map<String, Object>> seen = new AtomicReference<>();

	@AfterEach
	void stop() {
		this.fixture.close();
	}

	@Test
	void pathElementsAreDecodedWhileRequestUriStaysRaw() throws IOException {
		this.fixture.servlet("api", (request, response) -> record(request), "/api/*");
		TestExchange.CgiResponse response = this.fixture
			.serve(TestExchange.get("/app/api/caf%C3%A9/a%20b;jsessionid=x/../c?q=%C3%A9&q=2&flag"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(seen("requestURI")).isEqualTo("/app/api/caf%C3%A9/a%20b;jsessionid=x/../c");
		assertThat(seen("contextPath")).isEqualTo("/app");
		assertThat(seen("servletPath")).isEqualTo("/api");
		assertThat(seen("pathInfo")).isEqualTo("/café/c");
		assertThat(seen("queryString")).isEqualTo("q=%C3%A9&q=2&flag");
		assertThat(seen("q")).isEqualTo(List.of("é", "2"));
		assertThat(seen("flag")).isEqualTo(List.of(""));
		assertThat(seen("mapping")).isEqualTo(MappingMatch.PATH);
		assertThat(seen("requestURL")).isEqualTo("http://example.com/app/api/caf%C3%A9/a%20b;jsessionid=x/../c");
		assertThat(seen("dispatcherType")).isEqualTo(DispatcherType.REQUEST);
	}

	/** Tomcat's context path is the raw start of the URI, path parameters included. */
	@Test
	void contextPathIsAsRequested() throws IOException {
		this.fixture.servlet("all", (request, response) -> record(request), "/");
		this.fixture.serve(TestExchange.get("/app;jsessionid=1/x"));
		assertThat(seen("contextPath")).isEqualTo("/app;jsessionid=1");
		assertThat(seen("servletPath")).isEqualTo("/x");
	}

	@Test
	void badPathsAreRejectedBeforeTheApplication() throws IOException {
		this.fixture.servlet("all", (request, response) -> record(request), "/");
		for (String target : List.of("/app/a%2Fb", "/app/../../etc/passwd", "/app/%zz", "/app/%00", "/app/%C3",
				"/app/\u00c3\u00a9", "/app/x?a=<b>")) {
			TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get(target));
			assertThat(response.status()).as(target).isEqualTo(400);
			assertThat(response.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
			assertThat(response.bodyText()).contains("HTTP Status 400");
		}
		assertThat(this.seen.get()).isNull();
	}

	@Test
	void outsideTheContextPathIsNotFoundAndTheContextRootIsRedirected() throws IOException {
		this.fixture.servlet("all", (request, response) -> record(request), "/");
		assertThat(this.fixture.serve(TestExchange.get("/other")).status()).isEqualTo(404);
		assertThat(this.fixture.serve(TestExchange.get("/application")).status()).isEqualTo(404);
		TestExchange.CgiResponse redirect = this.fixture.serve(TestExchange.get("/app?x=1"));
		assertThat(redirect.status()).isEqualTo(302);
		assertThat(redirect.header("Location")).isEqualTo("http://example.com/app/?x=1");
		assertThat(this.seen.get()).isNull();
	}

	@Test
	void unmappedPathIsNotFound() throws IOException {
		this.fixture.servlet("one", (request, response) -> record(request), "/one");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/app/two"));
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.bodyText()).contains("HTTP Status 404 \u2013 Not Found");
	}

	@Test
	void formBodyParametersFollowQueryParameters() throws IOException {
		this.fixture.servlet("form", (request, response) -> {
			request.setCharacterEncoding("UTF-8");
			record(request);
		}, "/form");
		this.fixture.serve(TestExchange.request("POST", "/app/form?a=query")
			.body("application/x-www-form-urlencoded", "a=body&b=%C3%A9t%C3%A9+x&c"));
		assertThat(seen("a")).isEqualTo(List.of("query", "body"));
		assertThat(seen("b")).isEqualTo(List.of("été x"));
		assertThat(seen("c")).isEqualTo(List.of(""));
	}

	/** Tomcat 11 answers 400 to a malformed escape or a value without a name. */
	@Test
	void unparsableQueryParametersFailTheRequestWith400() throws IOException {
		this.fixture.servlet("all", (request, response) -> record(request), "/");
		for (String target : List.of("/app/x?bad=%zz&ok=1", "/app/x?=novalue&&x=1", "/app/x?a=%C3")) {
			TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get(target));
			assertThat(response.status()).as(target).isEqualTo(400);
			assertThat(response.bodyText()).contains("HTTP Status 400");
		}
		assertThat(this.seen.get()).isNull();
	}

	@Test
	void emptyPairsOfTheQueryAreSkipped() throws IOException {
		this.fixture.servlet("all", (request, response) -> record(request), "/");
		assertThat(this.fixture.serve(TestExchange.get("/app/x?&&a=1&&")).status()).isEqualTo(200);
		assertThat(seen("a")).isEqualTo(List.of("1"));
	}

	/** Tomcat throws the failure once; the parameters parsed before it remain. */
	@Test
	void parametersBeforeAParseFailureRemainAfterIt() throws IOException {
		List<RuntimeException> failures = new ArrayList<>();
		this.fixture.servlet("all", (request, response) -> {
			try {
				request.getParameter("ok");
			}
			catch (IllegalStateException ex) {
				failures.add(ex);
			}
			record(request);
		}, "/");
		assertThat(this.fixture.serve(TestExchange.get("/app/x?ok=1&bad=%zz&late=2")).status()).isEqualTo(200);
		assertThat(failures).hasSize(1);
		assertThat(seen("ok")).isEqualTo(List.of("1"));
		assertThat(seen("late")).isNull();
	}

	/** Spring MVC wraps the failure in a {@code ServletException}; Tomcat still answers 400. */
	@Test
	void formBodyNotValidInItsCharsetFailsTheRequestWith400() throws IOException {
		this.fixture.servlet("form", (request, response) -> {
			try {
				record(request);
			}
			catch (IllegalStateException ex) {
				throw new ServletException("Request processing failed: " + ex, ex);
			}
		}, "/form");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.request("POST", "/app/form")
			.body("application/x-www-form-urlencoded; charset=UTF-8", "caf%E9=%E9t%E9"));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.bodyText()).contains("HTTP Status 400");
		assertThat(this.seen.get()).isNull();
	}

	@Test
	void formBodyOverTheMaximumSizeFailsTheRequestWith413() throws IOException {
		this.fixture.servlet("form", (request, response) -> record(request), "/form");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.request("POST", "/app/form")
			.body("application/x-www-form-urlencoded", "a=" + "x".repeat(2 * 1024 * 1024)));
		assertThat(response.status()).isEqualTo(413);
	}

	@Test
	void formBodyIsNotParsedForPut() throws IOException {
		this.fixture.servlet("form", (request, response) -> {
			record(request);
			response.getWriter().print(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
		}, "/form");
		TestExchange.CgiResponse response = this.fixture
			.serve(TestExchange.request("PUT", "/app/form").body("application/x-www-form-urlencoded", "a=1"));
		assertThat(seen("a")).isNull();
		assertThat(response.bodyText()).isEqualTo("a=1");
	}

	@Test
	void bodyIsReadToTheEndOfStdinWithoutContentLength() throws IOException {
		this.fixture.servlet("echo", (request, response) -> {
			response.getOutputStream().write(request.getInputStream().readAllBytes());
			record(request);
		}, "/echo");
		TestExchange exchange = TestExchange.request("POST", "/app/echo").body("text/plain", "streamed body");
		exchange.param("CONTENT_LENGTH", "").chunkSize(3);
		TestExchange.CgiResponse response = this.fixture.serve(exchange);
		assertThat(response.bodyText()).isEqualTo("streamed body");
		assertThat(seen("contentLength")).isEqualTo(-1L);
	}

	@Test
	void readerUsesTheCharsetOfTheContentType() throws IOException {
		this.fixture.servlet("echo", (request, response) -> {
			record(request);
			response.setContentType("text/plain;charset=UTF-8");
			response.getWriter().print(request.getReader().readLine());
		}, "/echo");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.request("POST", "/app/echo")
			.body("text/plain; charset=ISO-8859-1", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)));
		assertThat(response.bodyText()).isEqualTo("café");
		assertThat(seen("characterEncoding")).isEqualTo("ISO-8859-1");
	}

	/** Tomcat's reader reports bytes that are not valid in the charset: the request fails with 500. */
	@Test
	void readerFailsOnABodyNotValidInItsCharset() throws IOException {
		this.fixture.servlet("echo", (request, response) -> {
			response.getWriter().print(request.getReader().readLine());
			record(request);
		}, "/echo");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.request("POST", "/app/echo")
			.body("text/plain; charset=UTF-8", "Gr\u00fc\u00dfe".getBytes(StandardCharsets.ISO_8859_1)));
		assertThat(response.status()).isEqualTo(500);
		assertThat(this.seen.get()).isNull();
	}

	@Test
	void characterEncodingIsNullUnlessDeclared() throws IOException {
		this.fixture.servlet("all", (request, response) -> record(request), "/");
		this.fixture.serve(TestExchange.get("/app/x"));
		assertThat(seen("characterEncoding")).isNull();
	}

	@Test
	void headersCookiesAndLocales() throws IOException {
		this.fixture.servlet("all", (request, response) -> record(request), "/");
		this.fixture.serve(TestExchange.get("/app/x")
			.param("HTTP_COOKIE", "a=1; b=\"quoted\"; bad value=2; d=\"with space\"; c=x=y")
			.param("HTTP_ACCEPT_LANGUAGE", "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5, it;q=0")
			.param("HTTP_IF_MODIFIED_SINCE", "Sun, 06 Nov 1994 08:49:37 GMT")
			.param("HTTP_X_COUNT", "42"));
		assertThat(seen("cookies")).isEqualTo(List.of("a=1", "b=quoted", "c=x=y"));
		assertThat(seen("locales")).isEqualTo(List.of(Locale.forLanguageTag("fr-CH"), Locale.FRENCH,
				Locale.ENGLISH, Locale.GERMAN, Locale.ROOT));
		assertThat(seen("ifModifiedSince")).isEqualTo(784111777000L);
		assertThat(seen("count")).isEqualTo(42);
		assertThat(seen("headerNames")).asList().contains("Cookie", "Accept-Language", "X-Count", "Host");
	}

	@Test
	void connectionValuesFromParams() throws IOException {
		this.fixture.servlet("all", (request, response) -> record(request), "/");
		this.fixture.serve(TestExchange.get("/app/x")
			.param("REQUEST_SCHEME", "https")
			.param("HTTP_HOST", "www.example.org:8443")
			.param("REMOTE_USER", "bob")
			.param("AUTH_TYPE", "Basic"));
		assertThat(seen("requestURL")).isEqualTo("https://www.example.org:8443/app/x");
		assertThat(seen("secure")).isEqualTo(true);
		assertThat(seen("remoteAddr")).isEqualTo("192.0.2.1");
		assertThat(seen("remotePort")).isEqualTo(50000);
		assertThat(seen("remoteUser")).isEqualTo("bob");
		assertThat(seen("principal")).isEqualTo("bob");
		assertThat(seen("authType")).isEqualTo("Basic");
		assertThat(seen("role")).isEqualTo(Role.RESPONDER);
	}

	@Test
	void sessionIsCreatedWithACookieAndFoundAgain() throws IOException {
		this.fixture.context.getSessionCookieConfig().setAttribute("SameSite", "Lax");
		this.fixture.servlet("session", (request, response) -> {
			HttpSession session = request.getSession();
			Integer count = (Integer) session.getAttribute("count");
			session.setAttribute("count", (count != null) ? count + 1 : 1);
			response.getWriter().print(session.getAttribute("count") + " " + session.isNew());
		}, "/session");
		TestExchange.CgiResponse first = this.fixture.serve(TestExchange.get("/app/session"));
		String setCookie = first.header("Set-Cookie");
		assertThat(setCookie).matches("JSESSIONID=[0-9A-F]{32}; Path=/app; HttpOnly; SameSite=Lax");
		assertThat(first.bodyText()).isEqualTo("1 true");
		String cookie = setCookie.substring(0, setCookie.indexOf(';'));
		TestExchange.CgiResponse second = this.fixture
			.serve(TestExchange.get("/app/session").param("HTTP_COOKIE", "JSESSIONID=stale; " + cookie));
		assertThat(second.bodyText()).isEqualTo("2 false");
		assertThat(second.header("Set-Cookie")).isNull();
	}

	@Test
	void changeSessionIdKeepsAttributesAndSendsOneNewCookie() throws IOException {
		List<String> ids = Collections.synchronizedList(new ArrayList<>());
		this.fixture.servlet("login", (request, response) -> {
			HttpSession session = request.getSession();
			session.setAttribute("user", "alice");
			ids.add(session.getId());
			ids.add(request.changeSessionId());
			response.getWriter().print(request.getSession(false).getAttribute("user"));
		}, "/login");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/app/login"));
		assertThat(ids.get(0)).isNotEqualTo(ids.get(1));
		assertThat(response.headers().get("set-cookie")).singleElement()
			.satisfies((value) -> assertThat(value).startsWith("JSESSIONID=" + ids.get(1) + ";"));
		assertThat(response.bodyText()).isEqualTo("alice");
		assertThat(this.fixture.context.getSessionManager().find(ids.get(0))).isNull();
		assertThat(this.fixture.context.getSessionManager().find(ids.get(1))).isNotNull();
	}

	private void record(HttpServletRequest request) throws IOException {
		Map<String, Object> values = new java.util.HashMap<>();
		values.put("requestURI", request.getRequestURI());
		values.put("requestURL", request.getRequestURL().toString());
		values.put("contextPath", request.getContextPath());
		values.put("servletPath", request.getServletPath());
		values.put("pathInfo", request.getPathInfo());
		values.put("queryString", request.getQueryString());
		values.put("mapping", request.getHttpServletMapping().getMappingMatch());
		values.put("dispatcherType", request.getDispatcherType());
		request.getParameterMap().forEach((name, parameterValues) -> values.put(name, List.of(parameterValues)));
		values.put("contentLength", request.getContentLengthLong());
		values.put("characterEncoding", request.getCharacterEncoding());
		Cookie[] cookies = request.getCookies();
		values.put("cookies", (cookies != null)
				? java.util.Arrays.stream(cookies).map((cookie) -> cookie.getName() + "=" + cookie.getValue()).toList()
				: List.of());
		values.put("locales", Collections.list(request.getLocales()));
		values.put("ifModifiedSince", request.getDateHeader("If-Modified-Since"));
		values.put("count", request.getIntHeader("X-Count"));
		values.put("headerNames", Collections.list(request.getHeaderNames()));
		values.put("secure", request.isSecure());
		values.put("remoteAddr", request.getRemoteAddr());
		values.put("remotePort", request.getRemotePort());
		values.put("remoteUser", request.getRemoteUser());
		values.put("principal", (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : null);
		values.put("authType", request.getAuthType());
		values.put("role", request.getAttribute(FastCgiServletRequest.ROLE_ATTRIBUTE));
		this.seen.set(values);
	}

	private Object seen(String name) {
		return this.seen.get().get(name);
	}

}
