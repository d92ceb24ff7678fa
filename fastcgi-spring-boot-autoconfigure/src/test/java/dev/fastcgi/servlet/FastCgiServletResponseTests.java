package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.fastcgi.protocol.Role;
import dev.fastcgi.server.RequestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class FastCgiServletResponseTests {

	private final ServletFixture fixture = new ServletFixture("");

	@AfterEach
	void stop() {
		this.fixture.close();
	}

	@Test
	void smallBodyGetsContentLengthAndStatusLine() throws IOException {
		this.fixture.servlet("text", (request, response) -> {
			response.setStatus(201);
			response.setContentType("text/plain");
			response.setCharacterEncoding("UTF-8");
			response.addHeader("X-Multi", "1");
			response.addHeader("x-multi", "2");
			response.getWriter().print("héllo \uD83D\uDE00");
		}, "/text");
		TestExchange exchange = TestExchange.get("/text");
		TestExchange.CgiResponse response = this.fixture.serve(exchange);
		String raw = new String(exchange.output(), StandardCharsets.ISO_8859_1);
		assertThat(raw).startsWith("Status: 201 Created\r\nContent-Type: text/plain;charset=UTF-8\r\n"
				+ "Content-Length: 11\r\nX-Multi: 1\r\nX-Multi: 2\r\n\r\n");
		assertThat(response.bodyText()).isEqualTo("héllo \uD83D\uDE00");
	}

	@Test
	void headerValuesGoOutAsIso88591WithOtherCharsAsQuestionMarks() throws IOException {
		this.fixture.servlet("latin", (request, response) -> {
			response.setStatus(299);
			response.setHeader("X-Latin", "caf\u00e9 \u20ac1");
			response.setContentLengthLong(10_000_000_000L);
		}, "/latin");
		TestExchange exchange = TestExchange.get("/latin");
		this.fixture.serve(exchange);
		String raw = new String(exchange.output(), StandardCharsets.ISO_8859_1);
		assertThat(raw).startsWith("Status: 299 ")
			.contains("\r\nContent-Length: 10000000000\r\n", "\r\nX-Latin: caf\u00e9 ?1\r\n");
	}

	@Test
	void bodyLargerThanTheBufferIsSentWithoutContentLengthAndNeverChunked() throws IOException {
		this.fixture.servlet("big", (request, response) -> {
			response.setHeader("Transfer-Encoding", "chunked");
			response.setBufferSize(16);
			response.getOutputStream().write(new byte[100]);
			response.getOutputStream().write(new byte[5]);
		}, "/big");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/big"));
		assertThat(response.header("Content-Length")).isNull();
		assertThat(response.header("Transfer-Encoding")).isNull();
		assertThat(response.body()).hasSize(105);
	}

	@Test
	void bodyWrittenInPiecesUpToTheBufferSizeStaysBufferedThenOneMoreByteCommits() throws IOException {
		byte[] piece = new byte[1000];
		Arrays.fill(piece, (byte) 'p');
		this.fixture.servlet("pieces", (request, response) -> {
			assertThat(response.getBufferSize()).isEqualTo(8192);
			for (int i = 0; i < 8; i++) {
				response.getOutputStream().write(piece);
			}
			for (int i = 0; i < 192; i++) {
				response.getOutputStream().write('b');
			}
			assertThat(response.isCommitted()).isFalse();
			response.getOutputStream().write('c');
			assertThat(response.isCommitted()).isTrue();
			response.getOutputStream().write('d');
			response.getOutputStream().write(piece, 0, 2);
		}, "/pieces");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/pieces"));
		assertThat(response.header("Content-Length")).isNull();
		assertThat(response.bodyText()).isEqualTo("p".repeat(8000) + "b".repeat(192) + "cdpp");
	}

	/** The buffer is the exchange's, lent for the request: given back at the commit, never touched after. */
	@Test
	void theResponseBufferIsGivenBackAtTheCommitAndNotUsedAfter() throws IOException {
		TestExchange exchange = TestExchange.get("/lent");
		this.fixture.servlet("lent", (request, response) -> {
			assertThat(exchange.buffersLent()).isZero();
			response.getOutputStream().write('a');
			assertThat(exchange.buffersLent()).isOne();
			response.getOutputStream().print("bc");
			response.flushBuffer();
			assertThat(exchange.buffersLent()).isZero();
			response.getOutputStream().print("de");
			response.getOutputStream().write('f');
			assertThat(exchange.buffersLent()).isZero();
		}, "/lent");
		this.fixture.servlet("unused", (request, response) -> response.setStatus(204), "/unused");
		assertThat(this.fixture.serve(exchange).bodyText()).isEqualTo("abcdef");
		assertThat(exchange.buffersLent()).isZero();
		TestExchange unused = TestExchange.get("/unused");
		assertThat(this.fixture.serve(unused).status()).isEqualTo(204);
		assertThat(unused.buffersLent()).isZero();
	}

	/** The header block is gathered in an array the exchange lends, which grows for a block larger than it. */
	@Test
	void aHeaderBlockLargerThanTheLentArrayArrivesWholeAndTheArrayIsGivenBack() throws IOException {
		String large = "v".repeat(40_000);
		TestExchange exchange = TestExchange.get("/large-headers");
		this.fixture.servlet("large-headers", (request, response) -> {
			response.setHeader("X-Large", large);
			response.setHeader("X-After", "after");
			response.getWriter().print("body");
		}, "/large-headers");
		TestExchange.CgiResponse response = this.fixture.serve(exchange);
		assertThat(response.header("X-Large")).isEqualTo(large);
		assertThat(response.header("X-After")).isEqualTo("after");
		assertThat(response.bodyText()).isEqualTo("body");
		assertThat(exchange.buffersLent()).isZero();
	}

	@Test
	void flushCommitsAndFlushesStdout() throws IOException {
		this.fixture.servlet("stream", (request, response) -> {
			response.getWriter().print("a");
			response.getWriter().flush();
			assertThat(response.isCommitted()).isTrue();
			response.getWriter().print("b");
			response.flushBuffer();
		}, "/stream");
		TestExchange exchange = TestExchange.get("/stream");
		TestExchange.CgiResponse response = this.fixture.serve(exchange);
		assertThat(exchange.flushCount()).isEqualTo(2);
		assertThat(response.header("Content-Length")).isNull();
		assertThat(response.bodyText()).isEqualTo("ab");
	}

	@Test
	void headSendsHeadersWithTheContentLengthOfGetButNoBody() throws IOException {
		this.fixture.servlet("text", (request, response) -> response.getWriter().print("twelve bytes"), "/text");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.request("HEAD", "/text"));
		assertThat(response.header("Content-Length")).isEqualTo("12");
		assertThat(response.body()).isEmpty();
	}

	@Test
	void sendErrorWithoutErrorPageWritesTheDefaultReport() throws IOException {
		this.fixture.servlet("fail", (request, response) -> {
			response.setHeader("X-Kept", "yes");
			response.getWriter().print("discarded");
			response.sendError(403, "secret");
			response.getWriter().print("ignored");
		}, "/fail");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/fail"));
		assertThat(response.statusLine()).isEqualTo("403 Forbidden");
		assertThat(response.header("X-Kept")).isEqualTo("yes");
		assertThat(response.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
		assertThat(response.bodyText()).contains("<h1>HTTP Status 403 \u2013 Forbidden</h1>")
			.doesNotContain("secret", "discarded", "ignored");
	}

	@Test
	void sendErrorAndExceptionsGoToErrorPagesWithErrorAttributes() throws IOException {
		this.fixture.servlet("fail", (request, response) -> {
			if (request.getParameter("throw") != null) {
				throw new IllegalArgumentException("boom");
			}
			response.sendError(404, "nothing here");
		}, "/fail");
		this.fixture.servlet("error", (request, response) -> response.getWriter()
			.print(request.getDispatcherType() + " " + request.getAttribute("jakarta.servlet.error.status_code") + " "
					+ request.getAttribute("jakarta.servlet.error.message") + " "
					+ request.getAttribute("jakarta.servlet.error.request_uri") + " "
					+ request.getAttribute("jakarta.servlet.error.servlet_name") + " "
					+ request.getAttribute("jakarta.servlet.error.method") + " "
					+ request.getAttribute("jakarta.servlet.error.query_string") + " "
					+ request.getAttribute("jakarta.servlet.error.exception_type") + " " + request.getRequestURI()),
				"/error");
		this.fixture.context.setGlobalErrorPage("/error");
		TestExchange.CgiResponse notFound = this.fixture.serve(TestExchange.get("/fail?x=1"));
		assertThat(notFound.status()).isEqualTo(404);
		assertThat(notFound.bodyText()).isEqualTo("ERROR 404 nothing here /fail fail GET x=1 null /error");
		TestExchange.CgiResponse failed = this.fixture.serve(TestExchange.get("/fail?throw"));
		assertThat(failed.status()).isEqualTo(500);
		assertThat(failed.bodyText())
			.isEqualTo("ERROR 500 boom /fail fail GET throw class java.lang.IllegalArgumentException /error");
	}

	/**
	 * As on Tomcat 11: the error page sees GET, and the forward attributes of the request that
	 * failed; both are the request's own again once the error page returns.
	 */
	@Test
	void theErrorPageSeesGetAndTheForwardAttributesOfTheFailedRequest() throws IOException {
		List<String> afterwards = new ArrayList<>();
		this.fixture.context.addListener(new ServletRequestListener() {
			@Override
			public void requestDestroyed(ServletRequestEvent event) {
				HttpServletRequest request = (HttpServletRequest) event.getServletRequest();
				afterwards.add(request.getMethod() + " " + request.getAttribute("jakarta.servlet.forward.request_uri"));
			}
		});
		this.fixture.servlet("fail", (request, response) -> response.sendError(409), "/fail");
		this.fixture.servlet("error", (request, response) -> response.getWriter()
			.print(request.getMethod() + " " + request.getAttribute("jakarta.servlet.error.method") + " "
					+ request.getAttribute("jakarta.servlet.forward.request_uri") + " "
					+ request.getAttribute("jakarta.servlet.forward.servlet_path") + " "
					+ request.getAttribute("jakarta.servlet.forward.query_string") + " " + request.getRequestURI()),
				"/error");
		this.fixture.context.setGlobalErrorPage("/error");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.request("DELETE", "/fail?x=1"));
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.bodyText()).isEqualTo("GET DELETE /fail /fail x=1 /error");
		assertThat(afterwards).containsExactly("DELETE null");
	}

	/**
	 * A failure once the response is committed cannot become an error page: as on Tomcat the page
	 * is included after what went out, and the response is broken off, so that the client does
	 * not take it for whole.
	 */
	@Test
	void aFailureAfterTheCommitIncludesTheErrorPageAndBreaksTheResponseOff() throws IOException {
		this.fixture.servlet("fail", (request, response) -> {
			response.getWriter().print("part;");
			if (request.getParameter("flush") != null) {
				response.flushBuffer();
			}
			throw new IllegalStateException("failing");
		}, "/fail");
		this.fixture.servlet("error", (request, response) -> response.getWriter()
			.print("error page for " + request.getAttribute("jakarta.servlet.error.status_code")), "/error");
		this.fixture.context.setGlobalErrorPage("/error");
		TestExchange committed = TestExchange.get("/fail?flush");
		TestExchange.CgiResponse broken = this.fixture.serve(committed);
		assertThat(broken.status()).isEqualTo(200);
		assertThat(broken.bodyText()).isEqualTo("part;error page for 500");
		assertThat(committed.brokenOff()).isTrue();
		TestExchange uncommitted = TestExchange.get("/fail");
		TestExchange.CgiResponse failed = this.fixture.serve(uncommitted);
		assertThat(failed.status()).isEqualTo(500);
		assertThat(failed.bodyText()).isEqualTo("error page for 500");
		assertThat(uncommitted.brokenOff()).isFalse();
	}

	/** Tomcat's connector refuses TRACE before any filter or servlet, listing what the servlet answers. */
	@Test
	void traceIsRefusedWithTheServletsMethodsAndTheErrorPage() throws IOException {
		AtomicInteger served = new AtomicInteger();
		this.fixture.context.addServlet("getOnly", new HttpServlet() {
			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response) {
				served.incrementAndGet();
			}
		}).addMapping("/get-only");
		this.fixture.servlet("error", (request, response) -> response.getWriter()
			.print(request.getAttribute("jakarta.servlet.error.status_code") + " "
					+ request.getAttribute("jakarta.servlet.error.message")), "/error");
		this.fixture.context.setGlobalErrorPage("/error");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.request("TRACE", "/get-only"));
		assertThat(response.status()).isEqualTo(405);
		assertThat(response.header("Allow")).isEqualTo("HEAD, GET, OPTIONS");
		assertThat(response.bodyText()).isEqualTo("405 TRACE method is not allowed");
		assertThat(served).hasValue(0);
		TestExchange.CgiResponse unmapped = this.fixture.serve(TestExchange.request("TRACE", "/nothing-here"));
		assertThat(unmapped.status()).isEqualTo(405);
		assertThat(unmapped.header("Allow")).isNull();
	}

	@Test
	void aRequestTheWebServerGaveUpOnGetsNoErrorPage() throws IOException {
		AtomicInteger errorPages = new AtomicInteger();
		this.fixture.servlet("upload", (request, response) -> {
			throw new UncheckedIOException(new RequestAbortedException("The web server closed the connection"));
		}, "/upload");
		this.fixture.servlet("error", (request, response) -> errorPages.incrementAndGet(), "/error");
		this.fixture.context.setGlobalErrorPage("/error");
		this.fixture.serve(TestExchange.get("/upload"));
		assertThat(errorPages).hasValue(0);
	}

	@Test
	void exceptionPagesAreChosenByTypeBeforeStatus() throws IOException {
		this.fixture.servlet("fail", (request, response) -> {
			throw new IllegalStateException("state");
		}, "/fail");
		this.fixture.servlet("runtime", (request, response) -> response.getWriter().print("runtime page"), "/runtime");
		this.fixture.servlet("status", (request, response) -> response.getWriter().print("500 page"), "/500");
		this.fixture.context.addErrorPage(RuntimeException.class, "/runtime");
		this.fixture.context.addErrorPage(500, "/500");
		assertThat(this.fixture.serve(TestExchange.get("/fail")).bodyText()).isEqualTo("runtime page");
	}

	/** Spring Boot turns Tomcat's relative redirects off: Tomcat sends absolute locations. */
	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			other             | http://example.com:8080/dir/other
			../up             | http://example.com:8080/up
			./same/./x/..     | http://example.com:8080/dir/same/
			/root?a=../b      | http://example.com:8080/root?a=../b
			?only=query       | http://example.com:8080/dir/?only=query
			//elsewhere.example/x | http://elsewhere.example/x
			https://elsewhere.example/x | https://elsewhere.example/x
			""")
	void redirectsToAbsoluteLocationsAsTomcatDoes(String location, String expected) throws IOException {
		this.fixture.servlet("redirect", (request, response) -> {
			response.getWriter().print("discarded");
			response.sendRedirect(request.getHeader("X-To"));
		}, "/dir/*");
		TestExchange.CgiResponse redirect = this.fixture
			.serve(TestExchange.get("/dir/page").param("HTTP_HOST", "example.com:8080").param("HTTP_X_TO", location));
		assertThat(redirect.statusLine()).isEqualTo("302 Found");
		assertThat(redirect.header("Location")).isEqualTo(expected);
		assertThat(redirect.header("Content-Length")).isEqualTo("0");
		assertThat(redirect.body()).isEmpty();
	}

	@Test
	void crOrLfInHeadersIsRejected() throws IOException {
		this.fixture.servlet("inject", (request, response) -> {
			assertThatIllegalArgumentException().isThrownBy(() -> response.setHeader("X-A", "v\r\nSet-Cookie: x=1"));
			assertThatIllegalArgumentException().isThrownBy(() -> response.addHeader("X-B\n", "v"));
			assertThatIllegalArgumentException().isThrownBy(() -> response.sendRedirect("/x\r\nX-C: 1"));
			assertThatIllegalArgumentException().isThrownBy(() -> response.addCookie(new Cookie("c", "a\nb")));
			response.setHeader("Status", "200 OK");
			response.setStatus(418);
		}, "/inject");
		TestExchange exchange = TestExchange.get("/inject");
		TestExchange.CgiResponse response = this.fixture.serve(exchange);
		assertThat(response.status()).isEqualTo(418);
		assertThat(new String(exchange.output(), StandardCharsets.ISO_8859_1)).doesNotContain("X-A", "X-B", "X-C")
			.containsOnlyOnce("Status:");
	}

	/** Tomcat writes Expires before Max-Age. */
	@Test
	void persistentCookieHasExpiresThenMaxAge() throws IOException {
		this.fixture.servlet("cookie", (request, response) -> {
			Cookie cookie = new Cookie("name", "value");
			cookie.setMaxAge(60);
			response.addCookie(cookie);
		}, "/cookie");
		assertThat(this.fixture.serve(TestExchange.get("/cookie")).header("Set-Cookie"))
			.matches("name=value; Expires=[^;]+ GMT; Max-Age=60");
	}

	/**
	 * Spring Boot maps English, French and Japanese to UTF-8 in Tomcat's locale-charset mapping,
	 * so Spring MVC's {@code setLocale} before a view renders gives text/html a charset.
	 */
	@Test
	void localeChoosesTheCharsetUntilOneIsSet() throws IOException {
		this.fixture.servlet("locale", (request, response) -> {
			response.setLocale(Locale.forLanguageTag(request.getParameter("locale")));
			if (request.getParameter("charset") != null) {
				response.setCharacterEncoding(request.getParameter("charset"));
				response.setLocale(Locale.FRENCH);
			}
			response.setContentType("text/html");
		}, "/locale");
		assertThat(this.fixture.serve(TestExchange.get("/locale?locale=en")).header("Content-Type"))
			.isEqualTo("text/html;charset=UTF-8");
		assertThat(this.fixture.serve(TestExchange.get("/locale?locale=de")).header("Content-Type"))
			.isEqualTo("text/html");
		assertThat(this.fixture.serve(TestExchange.get("/locale?locale=en&charset=ISO-8859-1")).header("Content-Type"))
			.isEqualTo("text/html;charset=ISO-8859-1");
	}

	/** On Tomcat an error page that sends an error itself leaves its status and no report. */
	@Test
	void errorPageThatSendsAnErrorLeavesTheResponseEmpty() throws IOException {
		this.fixture.servlet("tooLarge", (request, response) -> response.sendError(413), "/upload");
		this.fixture.servlet("errorPage", (request, response) -> response.sendError(413), "/error");
		this.fixture.context.setGlobalErrorPage("/error");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/upload"));
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.header("Content-Length")).isEqualTo("0");
		assertThat(response.body()).isEmpty();
	}

	/** In Tomcat's order: SameSite and Partitioned after HttpOnly, whenever the application set them. */
	@Test
	void cookiesAreFormattedWithTheirAttributes() throws IOException {
		this.fixture.servlet("cookie", (request, response) -> {
			Cookie cookie = new Cookie("name", "value");
			cookie.setMaxAge(0);
			cookie.setPath("/p");
			cookie.setDomain("example.com");
			cookie.setSecure(true);
			cookie.setHttpOnly(true);
			cookie.setAttribute("Priority", "High");
			cookie.setAttribute("Partitioned", "");
			cookie.setAttribute("SameSite", "Strict");
			response.addCookie(cookie);
			Cookie notPartitioned = new Cookie("other", "v");
			notPartitioned.setAttribute("Partitioned", "false");
			response.addCookie(notPartitioned);
		}, "/cookie");
		assertThat(this.fixture.serve(TestExchange.get("/cookie")).headers().get("set-cookie")).containsExactly(
				"name=value; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Domain=example.com; Path=/p; "
						+ "Secure; HttpOnly; SameSite=Strict; Partitioned; Priority=High",
				"other=v");
	}

	@Test
	void writerAndOutputStreamExcludeEachOtherAndResetClearsEverything() throws IOException {
		this.fixture.servlet("both", (request, response) -> {
			response.getWriter().print("x");
			assertThatIllegalStateException().isThrownBy(response::getOutputStream);
			response.setHeader("X-Gone", "1");
			response.setStatus(500);
			response.reset();
			response.getOutputStream().write('y');
		}, "/both");
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/both"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("X-Gone")).isNull();
		assertThat(response.bodyText()).isEqualTo("y");
	}

	@Test
	void authorizerResponseIsWrittenAsIs() throws IOException {
		this.fixture.servlet("authz", (request, response) -> {
			response.setHeader("Variable-REMOTE_USER", "alice");
			response.setHeader("Variable-X_Role", "admin");
		}, "/");
		TestExchange exchange = new TestExchange(Role.AUTHORIZER)
			.param("REQUEST_METHOD", "GET")
			.param("REQUEST_URI", "/protected/x");
		TestExchange.CgiResponse response = this.fixture.serve(exchange);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Variable-REMOTE_USER")).isEqualTo("alice");
		assertThat(response.header("Variable-X_Role")).isEqualTo("admin");
	}

}
