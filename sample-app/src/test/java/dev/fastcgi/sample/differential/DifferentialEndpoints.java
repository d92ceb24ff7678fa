package dev.fastcgi.sample.differential;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Endpoints that report what the servlet API tells the application, or exercise one part of
 * it, so that {@link DifferentialIT} can compare the answers of Tomcat and of the FastCGI
 * bridge. Active in the {@link DifferentialApplication#PROFILE differential profile} only: the
 * sample application's component scan finds this class in every other test too.
 */
@RestController
@Profile(DifferentialApplication.PROFILE)
class DifferentialEndpoints {

	/**
	 * Request headers left out of the echo. {@code host}: Debian's stock {@code fastcgi_params}
	 * sends {@code HTTP_HOST $host}, without the port that {@code proxy_pass} keeps (the port still
	 * reaches both applications, as {@code getServerPort()} shows). {@code cookie}: it carries a
	 * session id, which differs between the two applications by nature. {@code connection}: the
	 * client's, which nginx passes over FastCGI but replaces towards its keep-alive upstream.
	 * {@code x-forwarded-*}, {@code x-host}: lighttpd's mod_proxy adds them towards Tomcat,
	 * whatever {@code proxy.forwarded} says (what they would change, {@code getRemoteAddr()},
	 * {@code getScheme()}, {@code getServerName()}, is compared).
	 */
	private static final List<String> UNCOMPARABLE_HEADERS = List.of("host", "cookie", "connection",
			"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-host");

	@RequestMapping("/echo/**")
	Map<String, Object> echo(HttpServletRequest request) {
		Map<String, Object> echo = new LinkedHashMap<>();
		echo.put("method", request.getMethod());
		echo.put("requestURI", request.getRequestURI());
		echo.put("requestURL", request.getRequestURL().toString());
		echo.put("contextPath", request.getContextPath());
		echo.put("servletPath", request.getServletPath());
		echo.put("pathInfo", request.getPathInfo());
		echo.put("queryString", request.getQueryString());
		echo.put("scheme", request.getScheme());
		echo.put("serverName", request.getServerName());
		echo.put("serverPort", request.getServerPort());
		echo.put("remoteAddr", request.getRemoteAddr());
		echo.put("secure", request.isSecure());
		echo.put("protocol", request.getProtocol());
		echo.put("characterEncoding", request.getCharacterEncoding());
		echo.put("contentType", request.getContentType());
		echo.put("contentLength", request.getContentLengthLong());
		echo.put("locale", request.getLocale().toLanguageTag());
		echo.put("locales", Collections.list(request.getLocales()).stream().map(Locale::toLanguageTag).toList());
		echo.put("parameters", request.getParameterMap()
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> List.of(entry.getValue()), (a, b) -> a,
					LinkedHashMap::new)));
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : Collections.list(request.getHeaderNames())) {
			if (!UNCOMPARABLE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				headers.put(name, Collections.list(request.getHeaders(name)));
			}
		}
		echo.put("headers", headers);
		return echo;
	}

	/** The request body read through {@code getReader()}, so in the request's character encoding. */
	@PostMapping("/text")
	Map<String, Object> text(HttpServletRequest request) throws IOException {
		String text = request.getReader().lines().collect(Collectors.joining("\n"));
		return ordered("characterEncoding", String.valueOf(request.getCharacterEncoding()), "text", text, "length",
				text.length());
	}

	/** Non-ASCII text written through {@code getWriter()} in the charset asked for. */
	@GetMapping("/charset")
	void charset(@RequestParam(required = false) String charset, @RequestParam(required = false) String type,
			HttpServletResponse response) throws IOException {
		if (type != null) {
			response.setContentType(type);
		}
		if (charset != null) {
			response.setCharacterEncoding(charset);
		}
		response.getWriter().print("Grüße, café");
	}

	@PostMapping("/sha256")
	Map<String, Object> sha256(InputStream body) throws IOException, NoSuchAlgorithmException {
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		long length = new DigestInputStream(body, sha256).transferTo(OutputStream.nullOutputStream());
		return ordered("length", length, "sha256", HexFormat.of().formatHex(sha256.digest()));
	}

	/** {@code size} bytes of a repeating pattern, written with the length known up front. */
	@GetMapping("/download")
	void download(@RequestParam int size, HttpServletResponse response) throws IOException {
		response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
		response.setContentLength(size);
		writePattern(response.getOutputStream(), size);
	}

	/**
	 * {@code size} bytes of text of a type, for {@code server.compression}: written whole, or
	 * flushed half way; with the {@code ETag} and {@code Vary} asked for.
	 */
	@GetMapping("/text-of-size")
	void textOfSize(@RequestParam int size, @RequestParam(defaultValue = "text/plain") String type,
			@RequestParam(required = false) String etag, @RequestParam(required = false) List<String> vary,
			@RequestParam(defaultValue = "false") boolean flush, HttpServletResponse response) throws IOException {
		response.setContentType(type);
		if (etag != null) {
			response.setHeader("ETag", etag);
		}
		if (vary != null) {
			vary.forEach((name) -> response.addHeader("Vary", name));
		}
		if (flush) {
			writePattern(response.getOutputStream(), size / 2);
			response.flushBuffer();
			writePattern(response.getOutputStream(), size - size / 2);
		}
		else {
			writePattern(response.getOutputStream(), size);
		}
	}

	/** Fails after part of the body is on its way: the client must see the response break off, not end. */
	@GetMapping("/fail-after-commit")
	void failAfterCommit(@RequestParam(defaultValue = "false") boolean length, HttpServletResponse response)
			throws IOException {
		response.setContentType("text/plain");
		if (length) {
			response.setContentLength(200_000);
		}
		writePattern(response.getOutputStream(), 65536);
		response.flushBuffer();
		throw new IllegalStateException("failing after the commit");
	}

	/** {@code count} items as JSON, written by Jackson. */
	@GetMapping("/items")
	List<Map<String, Object>> items(@RequestParam int count) {
		return IntStream.range(0, count).mapToObj((i) -> ordered("id", i, "name", "item " + i)).toList();
	}

	@GetMapping("/cookies/set")
	void setCookies(HttpServletResponse response) {
		Cookie plain = new Cookie("plain", "value");
		response.addCookie(plain);
		Cookie strict = new Cookie("strict", "s");
		strict.setPath("/");
		strict.setHttpOnly(true);
		strict.setSecure(true);
		strict.setAttribute("SameSite", "Strict");
		response.addCookie(strict);
		Cookie lax = new Cookie("lax", "l");
		lax.setMaxAge(3600);
		lax.setAttribute("SameSite", "Lax");
		lax.setDomain("127.0.0.1");
		response.addCookie(lax);
		response.addHeader("Set-Cookie", "raw=r; Path=/; HttpOnly; SameSite=None; Secure");
	}

	/** Cookies without {@code SameSite}, which a {@code CookieSameSiteSupplier} bean gives one, and one with its own. */
	@GetMapping("/cookies/supplied")
	void suppliedSameSite(HttpServletResponse response) {
		response.addCookie(new Cookie("supplied-plain", "p"));
		Cookie own = new Cookie("supplied-own", "o");
		own.setAttribute("SameSite", "Strict");
		own.setAttribute("Priority", "High");
		response.addCookie(own);
		response.addCookie(new Cookie("unsupplied", "u"));
	}

	/** What the {@code @WebListener} marked. */
	@GetMapping("/web-listener")
	Map<String, Object> webListener(HttpServletRequest request) {
		return ordered("context", request.getServletContext().getAttribute("marked-by-web-listener"), "request",
				request.getAttribute("marked-by-web-listener"));
	}

	/** Text written after {@code setLocale}, which picks the charset mapped to the locale. */
	@GetMapping("/locale-charset")
	void localeCharset(@RequestParam String tag, HttpServletResponse response) throws IOException {
		response.setContentType("text/plain");
		response.setLocale(Locale.forLanguageTag(tag));
		response.getWriter().print("Grüße, café");
	}

	@GetMapping("/cookies/clear")
	void clearCookies(HttpServletResponse response) {
		for (String name : List.of("plain", "lax")) {
			Cookie cookie = new Cookie(name, "");
			cookie.setMaxAge(0);
			response.addCookie(cookie);
		}
	}

	@GetMapping("/cookies")
	Map<String, String> cookies(HttpServletRequest request) {
		Map<String, String> cookies = new LinkedHashMap<>();
		if (request.getCookies() != null) {
			for (Cookie cookie : request.getCookies()) {
				// The session id differs between the two applications.
				cookies.put(cookie.getName(), "JSESSIONID".equals(cookie.getName()) ? "(session)" : cookie.getValue());
			}
		}
		return cookies;
	}

	@GetMapping("/session")
	Map<String, Object> session(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return ordered("session", false, "requestedIdValid", request.isRequestedSessionIdValid());
		}
		Integer visits = (Integer) session.getAttribute("visits");
		visits = (visits != null) ? visits + 1 : 1;
		session.setAttribute("visits", visits);
		return ordered("session", true, "visits", visits, "fromCookie", request.isRequestedSessionIdFromCookie());
	}

	@PostMapping("/session/create")
	Map<String, Object> createSession(HttpServletRequest request) {
		HttpSession session = request.getSession();
		return ordered("new", session.isNew(), "maxInactiveInterval", session.getMaxInactiveInterval());
	}

	@PostMapping("/session/change-id")
	Map<String, Object> changeSessionId(HttpServletRequest request) {
		String before = request.getSession().getId();
		String after = request.changeSessionId();
		return ordered("changed", !before.equals(after), "attributeKept", request.getSession().getAttribute("visits") != null);
	}

	@PostMapping("/session/invalidate")
	Map<String, Object> invalidateSession(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
		return ordered("invalidated", session != null);
	}

	@GetMapping("/redirect/{kind}")
	void redirect(@PathVariable String kind, HttpServletResponse response) throws IOException {
		String location = switch (kind) {
			case "relative" -> "echo/target?from=relative";
			case "parent" -> "../echo/parent";
			case "root" -> "/elsewhere";
			case "absolute" -> "https://example.org/away?x=1";
			case "query" -> "?only=query";
			default -> throw new IllegalArgumentException(kind);
		};
		response.sendRedirect(location);
	}

	@GetMapping("/view-redirect")
	RedirectView viewRedirect() {
		return new RedirectView("/echo/from-view", true);
	}

	@GetMapping("/send-error/{status}")
	void sendError(@PathVariable int status, @RequestParam(required = false) String message,
			HttpServletResponse response) throws IOException {
		if (message != null) {
			response.sendError(status, message);
		}
		else {
			response.sendError(status);
		}
	}

	@GetMapping("/set-status/{status}")
	void setStatus(@PathVariable int status, HttpServletResponse response) throws IOException {
		response.setStatus(status);
		response.setHeader("Cache-Control", "no-store");
		response.getWriter().print("status " + status);
	}

	@GetMapping("/forward")
	void forward(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
		request.getRequestDispatcher("/echo/forwarded?added=1").forward(request, response);
	}

	@GetMapping(path = "/include", produces = MediaType.TEXT_PLAIN_VALUE)
	void include(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
		response.setContentType("text/plain;charset=UTF-8");
		PrintWriter writer = response.getWriter();
		writer.println("before include");
		writer.flush();
		request.getRequestDispatcher("/charset").include(request, response);
		writer.println();
		writer.println("after include, included: " + request.getAttribute("jakarta.servlet.include.request_uri"));
	}

	@GetMapping("/async/deferred")
	DeferredResult<Map<String, Object>> deferred() {
		DeferredResult<Map<String, Object>> result = new DeferredResult<>();
		CompletableFuture.runAsync(() -> result.setResult(ordered("async", "deferred")));
		return result;
	}

	@GetMapping("/async/deferred-error")
	DeferredResult<String> deferredError() {
		DeferredResult<String> result = new DeferredResult<>();
		CompletableFuture.runAsync(() -> result.setErrorResult(new IllegalStateException("deferred failure")));
		return result;
	}

	@GetMapping("/async/callable")
	Callable<Map<String, Object>> callable() {
		return () -> ordered("async", "callable");
	}

	@GetMapping("/async/web-async-task")
	WebAsyncTask<String> webAsyncTask() {
		return new WebAsyncTask<>(60_000, () -> "web async task");
	}

	@GetMapping("/async/sse")
	SseEmitter sse() {
		SseEmitter emitter = new SseEmitter(60_000L);
		CompletableFuture.runAsync(() -> {
			try {
				for (int i = 1; i <= 3; i++) {
					emitter.send(SseEmitter.event().id(Integer.toString(i)).name("count").data(ordered("n", i)));
				}
				emitter.complete();
			}
			catch (IOException ex) {
				emitter.completeWithError(ex);
			}
		});
		return emitter;
	}

	@GetMapping("/async/streaming")
	StreamingResponseBody streaming(@RequestParam int size) {
		return (out) -> writePattern(out, size);
	}

	/** A map that serializes in the order given, unlike {@link Map#of}, whose order varies between JVMs. */
	private static Map<String, Object> ordered(Object... namesAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			map.put((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		return map;
	}

	private static void writePattern(OutputStream out, int size) throws IOException {
		byte[] block = new byte[8192];
		for (int i = 0; i < block.length; i++) {
			block[i] = (byte) ('a' + (i % 26));
		}
		for (int written = 0; written < size; written += block.length) {
			out.write(block, 0, Math.min(block.length, size - written));
		}
	}

	@GetMapping("/members/home")
	String membersHome() {
		return "members only";
	}

}
