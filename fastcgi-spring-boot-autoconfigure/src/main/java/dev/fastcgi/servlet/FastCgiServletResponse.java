package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;

import dev.fastcgi.server.FastCgiExchange;

/**
 * The {@link HttpServletResponse} of a FastCGI request, written to STDOUT as a CGI response: a
 * {@code Status} line, the headers, a blank line, the body. Never chunked: a
 * {@code Transfer-Encoding} an application sets is dropped, and {@code Content-Length} is added
 * when the whole body was still in the buffer at the end.
 */
public class FastCgiServletResponse implements HttpServletResponse {

	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	private static final Pattern ABSOLUTE_URI = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:");

	private final FastCgiServletContext context;

	private final FastCgiServletRequest request;

	private final ResponseOutput output;

	private final ResponseHeaders headers = new ResponseHeaders();

	private int status = SC_OK;

	private String errorMessage;

	private boolean error;

	private String contentType;

	private String characterEncoding;

	/** Whether {@link #characterEncoding} came from {@link #setLocale}, which a later call may change. */
	private boolean characterEncodingFromLocale;

	private Locale locale;

	/**
	 * The {@code Content-Type} value last composed of {@link #contentType} and
	 * {@link #characterEncoding}, kept with the two strings it was composed of: frameworks read
	 * it many times per response.
	 */
	private String composedContentType;

	private String composedOfType;

	private String composedOfEncoding;

	private long contentLength = -1;

	private Cookie sessionCookie;

	private BodyWriting bodyWriting = BodyWriting.NONE;

	private ServletOutputStream outputStream;

	private PrintWriter writer;

	FastCgiServletResponse(FastCgiExchange exchange, FastCgiServletContext context, FastCgiServletRequest request) {
		this.context = context;
		this.request = request;
		this.output = new ResponseOutput(exchange, "HEAD".equals(request.getMethod()), this::writeHeaderBlock);
	}

	// The bridge's side

	/** Whether {@code sendError} asked for an error page. */
	boolean isError() {
		return this.error;
	}

	String errorMessage() {
		return this.errorMessage;
	}

	/** Sets the status of an error the container reports (an exception, a timeout). */
	void setError(int status) {
		setError(status, null);
	}

	void setError(int status, String message) {
		this.status = status;
		this.error = true;
		this.errorMessage = message;
	}

	/**
	 * Opens the response to the error page: the buffer is cleared, the status and headers stay.
	 */
	void prepareErrorDispatch() {
		this.output.resume();
		this.output.resetBuffer();
		this.contentLength = -1;
		this.error = false;
	}

	/** Writes the default error page for the status, as Tomcat does for 4xx and 5xx without an error page. */
	void sendErrorReport() throws IOException {
		this.output.resume();
		this.output.resetBuffer();
		this.error = false;
		if (this.status < 400) {
			return;
		}
		this.contentType = "text/html";
		this.characterEncoding = "utf-8";
		this.contentLength = -1;
		this.headers.set("Content-Language", "en");
		byte[] report = ErrorReport.html(this.status);
		this.output.write(report, 0, report.length);
	}

	/** After a forward the response is closed to the forwarding servlet, as on Tomcat. */
	void suspend() {
		this.output.suspend();
	}

	boolean isInternallyCommitted() {
		return this.output.isCommitted();
	}

	/**
	 * Completes the response: adds {@code Content-Length} when the whole body is still buffered
	 * and none was set, then sends what is left.
	 */
	void finish() throws IOException {
		if (this.output.isClosed()) {
			return;
		}
		if (!this.output.isCommitted() && this.contentLength < 0 && statusAllowsBody()) {
			this.contentLength = this.output.bufferedCount();
		}
		this.output.close();
	}

	private boolean statusAllowsBody() {
		return this.status >= 200 && this.status != SC_NO_CONTENT && this.status != SC_NOT_MODIFIED;
	}

	/** Sets the session cookie, replacing one set before in this response. */
	void setSessionCookie(Cookie cookie) {
		if (this.sessionCookie != null) {
			String previous = setCookieValue(this.sessionCookie);
			this.headers.removeValues("Set-Cookie", previous::equals);
		}
		this.sessionCookie = cookie;
		addCookie(cookie);
	}

	private boolean writeHeaderBlock(OutputStream stdout) throws IOException {
		String type = getContentType();
		boolean compressed = compressBody(type);
		CgiHeaderLines.status(stdout, this.status, HttpStatusText.reason(this.status));
		if (type != null) {
			CgiHeaderLines.header(stdout, "Content-Type", type);
		}
		if (this.contentLength >= 0) {
			CgiHeaderLines.header(stdout, "Content-Length", this.contentLength);
		}
		this.headers.writeTo(stdout);
		CgiHeaderLines.end(stdout);
		return compressed;
	}

	/**
	 * Decides at the commit whether the body goes out gzip-compressed and sets the headers that
	 * say so: {@code Vary: accept-encoding} for every compressible response, as on Tomcat, and
	 * for a compressed one {@code Content-Encoding: gzip} instead of the length.
	 */
	private boolean compressBody(String type) {
		ResponseCompression compression = this.context.getResponseCompression();
		if (compression == null || !statusAllowsBody() || this.status == SC_RESET_CONTENT
				|| !compression.isCompressible(type, this.contentLength, this.headers.get("Content-Encoding"),
						this.headers.get("ETag"))) {
			return false;
		}
		addVary("accept-encoding");
		if (!compression.isAcceptedBy(this.request)) {
			return false;
		}
		this.contentLength = -1;
		this.headers.set("Content-Encoding", "gzip");
		return true;
	}

	/**
	 * Adds a field name to {@code Vary} as Tomcat does: a first {@code Vary} is added as it is;
	 * existing ones are rewritten into one, their names lowercased and comma-separated, unless
	 * they say {@code *}.
	 */
	private void addVary(String fieldName) {
		List<String> values = this.headers.getAll("Vary");
		if (values.isEmpty()) {
			this.headers.add("Vary", fieldName);
			return;
		}
		Set<String> names = new LinkedHashSet<>();
		for (String value : values) {
			for (String name : value.split(",")) {
				if (!name.isBlank()) {
					names.add(name.trim().toLowerCase(Locale.ROOT));
				}
			}
		}
		if (names.contains("*")) {
			this.headers.set("Vary", "*");
			return;
		}
		names.add(fieldName);
		this.headers.set("Vary", String.join(",", names));
	}

	// Status and errors

	@Override
	public void setStatus(int sc) {
		if (!isCommitted()) {
			this.status = sc;
		}
	}

	@Override
	public int getStatus() {
		return this.status;
	}

	@Override
	public void sendError(int sc) throws IOException {
		sendError(sc, null);
	}

	@Override
	public void sendError(int sc, String msg) throws IOException {
		checkNotCommitted("sendError");
		this.status = sc;
		this.errorMessage = msg;
		this.error = true;
		this.output.resetBuffer();
		this.output.suspend();
	}

	/** Sends a redirect to the location made absolute, as Tomcat does under Spring Boot. */
	@Override
	public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
		checkNotCommitted("sendRedirect");
		if (location == null) {
			throw new IllegalArgumentException("Redirect location must not be null");
		}
		checkHeaderText(location);
		if (clearBuffer) {
			this.output.resetBuffer();
		}
		setStatus(sc);
		this.headers.set("Location", toAbsolute(location));
		if (clearBuffer) {
			this.output.suspend();
		}
	}

	/**
	 * The absolute URL Tomcat sends as configured by Spring Boot (relative redirects off): a
	 * location without a scheme is resolved against the request URL, its dot segments removed.
	 */
	private String toAbsolute(String location) {
		if (location.startsWith("//")) {
			return this.request.getScheme() + ":" + location;
		}
		if (ABSOLUTE_URI.matcher(location).lookingAt()) {
			return location;
		}
		String requestUri = this.request.getRequestURI();
		String path = location.startsWith("/") ? location
				: requestUri.substring(0, requestUri.lastIndexOf('/') + 1) + location;
		return this.request.origin() + withoutDotSegments(path);
	}

	/**
	 * Resolves {@code .} and {@code ..} segments in the path part (before any {@code ?} or
	 * {@code #}) of a location that starts with {@code /}.
	 * @throws IllegalArgumentException when {@code ..} climbs above the root, as on Tomcat
	 */
	static String withoutDotSegments(String location) {
		int pathEnd = location.length();
		for (char delimiter : new char[] { '?', '#' }) {
			int index = location.indexOf(delimiter);
			if (index >= 0 && index < pathEnd) {
				pathEnd = index;
			}
		}
		String path = location.substring(0, pathEnd);
		if (!path.contains("/.")) {
			return location;
		}
		Deque<String> segments = new ArrayDeque<>();
		String[] parts = path.substring(1).split("/", -1);
		for (int i = 0; i < parts.length; i++) {
			boolean last = i == parts.length - 1;
			if (parts[i].equals("..")) {
				if (segments.isEmpty()) {
					throw new IllegalArgumentException("The redirect location " + location + " climbs above the root");
				}
				segments.removeLast();
			}
			if (parts[i].equals(".") || parts[i].equals("..")) {
				if (last) {
					segments.addLast("");
				}
			}
			else {
				segments.addLast(parts[i]);
			}
		}
		return "/" + String.join("/", segments) + location.substring(pathEnd);
	}

	// Headers

	@Override
	public void addCookie(Cookie cookie) {
		if (!isCommitted()) {
			this.headers.add("Set-Cookie", setCookieValue(cookie));
		}
	}

	private String setCookieValue(Cookie cookie) {
		return Cookies.format(cookie, this.context.getCookieSameSite().apply(cookie));
	}

	@Override
	public boolean containsHeader(String name) {
		return switch (SpecialHeader.of(name)) {
			case CONTENT_TYPE -> this.contentType != null;
			case CONTENT_LENGTH -> this.contentLength >= 0;
			default -> this.headers.contains(name);
		};
	}

	/** Session ids travel in cookies only, so URLs stay as they are. */
	@Override
	public String encodeURL(String url) {
		return url;
	}

	@Override
	public String encodeRedirectURL(String url) {
		return url;
	}

	@Override
	public void setDateHeader(String name, long date) {
		setHeader(name, HTTP_DATE.format(Instant.ofEpochMilli(date)));
	}

	@Override
	public void addDateHeader(String name, long date) {
		addHeader(name, HTTP_DATE.format(Instant.ofEpochMilli(date)));
	}

	@Override
	public void setHeader(String name, String value) {
		putHeader(name, value, false);
	}

	@Override
	public void addHeader(String name, String value) {
		putHeader(name, value, true);
	}

	private void putHeader(String name, String value, boolean add) {
		if (name == null || name.isEmpty() || isCommitted()) {
			return;
		}
		checkHeaderText(name);
		if (value == null) {
			if (!add) {
				removeHeader(name);
			}
			return;
		}
		checkHeaderText(value);
		switch (SpecialHeader.of(name)) {
			case CONTENT_TYPE -> setContentType(value);
			case CONTENT_LENGTH -> setContentLengthHeader(value);
			// Chunking is the web server's business: a CGI response must never announce it.
			case TRANSFER_ENCODING -> {
			}
			// A CGI "Status" header would override the real status at the web server.
			case STATUS -> {
			}
			case NONE -> {
				if (add) {
					this.headers.add(name, value);
				}
				else {
					this.headers.set(name, value);
				}
			}
		}
	}

	private void removeHeader(String name) {
		switch (SpecialHeader.of(name)) {
			case CONTENT_TYPE -> setContentType(null);
			case CONTENT_LENGTH -> this.contentLength = -1;
			default -> this.headers.remove(name);
		}
	}

	private void setContentLengthHeader(String value) {
		try {
			setContentLengthLong(Long.parseLong(value.trim()));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Invalid Content-Length '" + value + "'");
		}
	}

	/** CR or LF would let a header value start another header or the body. */
	private static void checkHeaderText(String text) {
		if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
			throw new IllegalArgumentException("Header names and values must not contain CR or LF");
		}
	}

	@Override
	public void setIntHeader(String name, int value) {
		setHeader(name, Integer.toString(value));
	}

	@Override
	public void addIntHeader(String name, int value) {
		addHeader(name, Integer.toString(value));
	}

	@Override
	public String getHeader(String name) {
		return switch (SpecialHeader.of(name)) {
			case CONTENT_TYPE -> getContentType();
			case CONTENT_LENGTH -> (this.contentLength >= 0) ? Long.toString(this.contentLength) : null;
			default -> this.headers.get(name);
		};
	}

	@Override
	public Collection<String> getHeaders(String name) {
		String special = switch (SpecialHeader.of(name)) {
			case CONTENT_TYPE, CONTENT_LENGTH -> getHeader(name);
			default -> null;
		};
		return (special != null) ? List.of(special) : this.headers.getAll(name);
	}

	@Override
	public Collection<String> getHeaderNames() {
		List<String> names = new ArrayList<>();
		if (this.contentType != null) {
			names.add("Content-Type");
		}
		if (this.contentLength >= 0) {
			names.add("Content-Length");
		}
		names.addAll(this.headers.names());
		return names;
	}

	// Content type, encoding, locale, length

	@Override
	public void setContentType(String type) {
		if (isCommitted()) {
			return;
		}
		if (type == null) {
			this.contentType = null;
			if (this.bodyWriting != BodyWriting.WRITER) {
				this.characterEncoding = null;
			}
			return;
		}
		checkHeaderText(type);
		ContentType parsed = ContentType.parse(type);
		this.contentType = parsed.withoutCharset();
		if (parsed.charset() != null && this.bodyWriting != BodyWriting.WRITER) {
			this.characterEncoding = parsed.charset();
			this.characterEncodingFromLocale = false;
		}
	}

	@Override
	public String getContentType() {
		if (this.contentType == null) {
			return null;
		}
		if (this.characterEncoding == null) {
			return this.contentType;
		}
		if (this.composedOfType != this.contentType || this.composedOfEncoding != this.characterEncoding) {
			this.composedContentType = this.contentType + ";charset=" + this.characterEncoding;
			this.composedOfType = this.contentType;
			this.composedOfEncoding = this.characterEncoding;
		}
		return this.composedContentType;
	}

	@Override
	public void setCharacterEncoding(String encoding) {
		if (isCommitted() || this.bodyWriting == BodyWriting.WRITER) {
			return;
		}
		if (encoding != null) {
			checkHeaderText(encoding);
		}
		this.characterEncoding = encoding;
		this.characterEncodingFromLocale = false;
	}

	@Override
	public String getCharacterEncoding() {
		if (this.characterEncoding != null) {
			return this.characterEncoding;
		}
		String contextDefault = this.context.getResponseCharacterEncoding();
		return (contextDefault != null) ? contextDefault : StandardCharsets.ISO_8859_1.name();
	}

	@Override
	public void setLocale(Locale locale) {
		if (isCommitted() || locale == null) {
			return;
		}
		this.locale = locale;
		this.headers.set("Content-Language", locale.toLanguageTag());
		boolean charsetChosen = this.characterEncoding != null && !this.characterEncodingFromLocale;
		String localeCharset = this.context.getLocaleCharset(locale);
		if (!charsetChosen && this.bodyWriting != BodyWriting.WRITER && localeCharset != null) {
			this.characterEncoding = localeCharset;
			this.characterEncodingFromLocale = true;
		}
	}

	@Override
	public Locale getLocale() {
		return (this.locale != null) ? this.locale : Locale.getDefault();
	}

	@Override
	public void setContentLength(int len) {
		setContentLengthLong(len);
	}

	@Override
	public void setContentLengthLong(long len) {
		if (!isCommitted()) {
			this.contentLength = (len >= 0) ? len : -1;
		}
	}

	// Body

	@Override
	public ServletOutputStream getOutputStream() {
		if (this.bodyWriting == BodyWriting.WRITER) {
			throw new IllegalStateException("getWriter() has already been called for this response");
		}
		this.bodyWriting = BodyWriting.STREAM;
		if (this.outputStream == null) {
			this.outputStream = new ResponseOutputStream(this.output, this.request);
		}
		return this.outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (this.bodyWriting == BodyWriting.STREAM) {
			throw new IllegalStateException("getOutputStream() has already been called for this response");
		}
		if (this.writer == null) {
			String encoding = getCharacterEncoding();
			Charset charset = charset(encoding);
			// Once writing, the charset is fixed and announced, as Tomcat does.
			this.characterEncoding = encoding;
			this.writer = new PrintWriter(new ResponseWriter(this.output, charset), false);
		}
		this.bodyWriting = BodyWriting.WRITER;
		return this.writer;
	}

	private static Charset charset(String encoding) throws UnsupportedEncodingException {
		try {
			return Charset.forName(encoding);
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			throw new UnsupportedEncodingException(encoding);
		}
	}

	@Override
	public void setBufferSize(int size) {
		this.output.setBufferSize(size);
	}

	@Override
	public int getBufferSize() {
		return this.output.getBufferSize();
	}

	@Override
	public void flushBuffer() throws IOException {
		this.output.flush();
	}

	@Override
	public void resetBuffer() {
		this.output.resetBuffer();
	}

	/** Seen by the application, a response is committed once sent or after sendError or sendRedirect. */
	@Override
	public boolean isCommitted() {
		return this.output.isCommitted() || this.output.isSuspended();
	}

	@Override
	public void reset() {
		this.output.resetBuffer();
		this.headers.clear();
		this.status = SC_OK;
		this.contentType = null;
		this.characterEncoding = null;
		this.characterEncodingFromLocale = false;
		this.locale = null;
		this.contentLength = -1;
		this.bodyWriting = BodyWriting.NONE;
		this.writer = null;
		if (this.sessionCookie != null) {
			addCookie(this.sessionCookie);
		}
	}

	private void checkNotCommitted(String operation) {
		if (isCommitted()) {
			throw new IllegalStateException("Cannot call " + operation + "() after the response has been committed");
		}
	}

	/**
	 * The header names the response does not keep in {@link ResponseHeaders}: found with
	 * {@link String#equalsIgnoreCase}, as they are on every header call.
	 */
	private enum SpecialHeader {

		CONTENT_TYPE("Content-Type"), CONTENT_LENGTH("Content-Length"), TRANSFER_ENCODING("Transfer-Encoding"),
		STATUS("Status"), NONE(null);

		private static final SpecialHeader[] NAMED = { CONTENT_TYPE, CONTENT_LENGTH, TRANSFER_ENCODING, STATUS };

		private final String headerName;

		SpecialHeader(String headerName) {
			this.headerName = headerName;
		}

		static SpecialHeader of(String name) {
			for (SpecialHeader candidate : NAMED) {
				if (name.equalsIgnoreCase(candidate.headerName)) {
					return candidate;
				}
			}
			return NONE;
		}

	}

	private enum BodyWriting {

		NONE, STREAM, WRITER

	}

}
