package dev.fastcgi.servlet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.security.Principal;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;

import dev.fastcgi.protocol.Role;
import dev.fastcgi.server.FastCgiExchange;
import dev.fastcgi.server.Params;

/**
 * The {@link HttpServletRequest} of a FastCGI request, built from its CGI params and STDIN.
 * <p>
 * Besides the Servlet API it offers three request attributes to code that needs the FastCGI view
 * (such as the authorizer support): {@link #ROLE_ATTRIBUTE}, the {@link Role},
 * {@link #PARAMS_ATTRIBUTE}, the raw {@link Params}, and {@link #STDERR_ATTRIBUTE}, the request's
 * STDERR stream.
 */
public class FastCgiServletRequest implements HttpServletRequest {

	/** Request attribute holding the FastCGI {@link Role} of the request. */
	public static final String ROLE_ATTRIBUTE = "dev.fastcgi.role";

	/** Request attribute holding the request's {@link Params}. */
	public static final String PARAMS_ATTRIBUTE = "dev.fastcgi.params";

	/**
	 * Request attribute holding the request's STDERR as an {@link java.io.OutputStream}: what is
	 * written to it goes to the web server's error log. Threads writing to it at the same time
	 * synchronize on it.
	 */
	public static final String STDERR_ATTRIBUTE = "dev.fastcgi.stderr";

	private static final AtomicLong requestIds = new AtomicLong();

	private static final String FORM_URLENCODED = "application/x-www-form-urlencoded";

	private static final String MULTIPART_FORM_DATA = "multipart/form-data";

	private static final long MAX_FORM_BODY_BYTES = 2 * 1024 * 1024;

	/**
	 * Room for the attributes of a request without resizing: Spring MVC sets about twenty. The
	 * map is concurrent, as Tomcat's is, because an async request can be touched by the
	 * container thread and the application's thread at once.
	 */
	private static final int EXPECTED_ATTRIBUTES = 32;

	private static final List<DateTimeFormatter> DATE_FORMATS = List.of(DateTimeFormatter.RFC_1123_DATE_TIME,
			DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US),
			DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));

	private final FastCgiServletContext context;

	private final FastCgiExchange exchange;

	private final CgiEnvironment environment;

	/** The start of the raw request URI that is the context path, path parameters included. */
	private final String requestedContextPath;

	/** Made a string only when asked for: few applications do. */
	private final long requestId = requestIds.incrementAndGet();

	private final Map<String, Object> attributes = new ConcurrentHashMap<>(EXPECTED_ATTRIBUTES);

	private final DispatchState rootState;

	private volatile DispatchState state;

	private FastCgiServletResponse response;

	/** Whether the ERROR dispatch is running, in which the method reads GET. */
	private volatile boolean inErrorDispatch;

	private String characterEncoding;

	/** The Content-Type header parsed, once asked for; {@code null} before or without one. */
	private ContentType parsedContentType;

	private BodyUse bodyUse = BodyUse.NONE;

	private RequestInputStream inputStream;

	private BufferedReader reader;

	private Map<String, List<String>> requestParameters;

	private List<MultipartPart> parts;

	private RuntimeException partsFailure;

	private IOException partsIoFailure;

	private List<Cookie> cookies;

	private List<Locale> locales;

	private FastCgiSession session;

	private String requestedSessionId;

	private boolean requestedSessionIdResolved;

	private boolean loggedOut;

	private FastCgiAsyncContext asyncContext;

	/**
	 * Creates the request of an exchange.
	 * @param pathWithinContext the decoded, normalised path after the context path
	 */
	FastCgiServletRequest(FastCgiServletContext context, FastCgiExchange exchange, CgiEnvironment environment,
			String pathWithinContext) {
		this.context = context;
		this.exchange = exchange;
		this.environment = environment;
		this.requestedContextPath = RequestPaths.rawPrefix(environment.rawPath(), context.getContextPath());
		ServletMatch match = context.servletMappings().match(pathWithinContext);
		this.rootState = DispatchState.request(environment.rawPath(), environment.queryString(),
				(match != null) ? match : ServletMatch.unmapped(pathWithinContext), this::requestParameters);
		this.state = this.rootState;
		this.attributes.put(ROLE_ATTRIBUTE, exchange.role());
		this.attributes.put(PARAMS_ATTRIBUTE, exchange.params());
		this.attributes.put(STDERR_ATTRIBUTE, exchange.stderr());
	}

	/** Finds the bridge's request under any wrappers. */
	static FastCgiServletRequest unwrap(ServletRequest request) {
		ServletRequest current = request;
		while (current instanceof ServletRequestWrapper wrapper) {
			current = wrapper.getRequest();
		}
		if (current instanceof FastCgiServletRequest fastCgiRequest) {
			return fastCgiRequest;
		}
		throw new IllegalArgumentException("Not a request of this container: " + request);
	}

	void setResponse(FastCgiServletResponse response) {
		this.response = response;
	}

	FastCgiServletResponse response() {
		return this.response;
	}

	FastCgiServletContext servletContext() {
		return this.context;
	}

	FastCgiExchange exchange() {
		return this.exchange;
	}

	DispatchState rootState() {
		return this.rootState;
	}

	DispatchState state() {
		return this.state;
	}

	/**
	 * Marks the ERROR dispatch: in it and in what it dispatches to the method is GET, as on Tomcat
	 * (Servlet 6.1), the request's own in {@code jakarta.servlet.error.method}.
	 */
	void setInErrorDispatch(boolean inErrorDispatch) {
		this.inErrorDispatch = inErrorDispatch;
	}

	/** Makes a dispatch current; returns the state to restore when it returns. */
	DispatchState enter(DispatchState dispatch) {
		DispatchState previous = this.state;
		this.state = dispatch;
		return previous;
	}

	void restore(DispatchState previous) {
		this.state = previous;
	}

	/** The async cycle, or {@code null} if the application never started one. */
	FastCgiAsyncContext asyncContextIfStarted() {
		synchronized (this) {
			return this.asyncContext;
		}
	}

	/** Deletes the temporary files of uploaded parts. */
	void cleanUp() {
		List<MultipartPart> uploaded;
		synchronized (this) {
			uploaded = this.parts;
		}
		if (uploaded != null) {
			for (MultipartPart part : uploaded) {
				try {
					part.cleanUp();
				}
				catch (IOException ex) {
					this.context.log("Cannot delete an uploaded part's temporary file", ex);
				}
			}
		}
	}

	// Attributes

	@Override
	public Object getAttribute(String name) {
		return this.attributes.get(name);
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		return Collections.enumeration(Set.copyOf(this.attributes.keySet()));
	}

	@Override
	public void setAttribute(String name, Object value) {
		if (name == null) {
			throw new IllegalArgumentException("Attribute name must not be null");
		}
		if (value == null) {
			removeAttribute(name);
			return;
		}
		Object old = this.attributes.put(name, value);
		this.context.fireRequestAttributeChange(this, name, old, value);
	}

	@Override
	public void removeAttribute(String name) {
		Object old = this.attributes.remove(name);
		if (old != null) {
			this.context.fireRequestAttributeChange(this, name, old, null);
		}
	}

	// Request line and path

	@Override
	public String getMethod() {
		return this.inErrorDispatch ? "GET" : this.environment.method();
	}

	@Override
	public String getProtocol() {
		return this.environment.protocol();
	}

	@Override
	public String getScheme() {
		return this.environment.scheme();
	}

	@Override
	public boolean isSecure() {
		return this.environment.isSecure();
	}

	@Override
	public String getRequestURI() {
		return this.state.requestUri();
	}

	@Override
	public StringBuffer getRequestURL() {
		return new StringBuffer(64).append(origin()).append(getRequestURI());
	}

	/** {@code scheme://host:port} of the request URL. */
	String origin() {
		return this.environment.origin();
	}

	/**
	 * As on Tomcat, the part of the request URI that maps to the context, as it was sent
	 * ({@code /ctx;jsessionid=1} for {@code /ctx;jsessionid=1/page}); in a dispatch the context's path.
	 */
	@Override
	public String getContextPath() {
		return (this.state == this.rootState) ? this.requestedContextPath : this.context.getContextPath();
	}

	@Override
	public String getServletPath() {
		return this.state.servletPath();
	}

	@Override
	public String getPathInfo() {
		return this.state.pathInfo();
	}

	@Override
	public String getPathTranslated() {
		return (getPathInfo() != null) ? this.context.getRealPath(getPathInfo()) : null;
	}

	@Override
	public String getQueryString() {
		return this.state.queryString();
	}

	@Override
	public HttpServletMapping getHttpServletMapping() {
		return this.state.mapping();
	}

	@Override
	public DispatcherType getDispatcherType() {
		return this.state.type();
	}

	@Override
	public RequestDispatcher getRequestDispatcher(String path) {
		if (path == null) {
			return null;
		}
		if (path.startsWith("/")) {
			return this.context.getRequestDispatcher(path);
		}
		String current = getServletPath() + ((getPathInfo() != null) ? getPathInfo() : "");
		return this.context.getRequestDispatcher(current.substring(0, current.lastIndexOf('/') + 1) + path);
	}

	// Connection

	@Override
	public String getServerName() {
		return this.environment.serverName();
	}

	@Override
	public int getServerPort() {
		return this.environment.serverPort();
	}

	@Override
	public String getRemoteAddr() {
		return this.environment.remoteAddr();
	}

	@Override
	public String getRemoteHost() {
		return this.environment.remoteHost();
	}

	@Override
	public int getRemotePort() {
		return this.environment.remotePort();
	}

	@Override
	public String getLocalName() {
		return this.environment.localName();
	}

	@Override
	public String getLocalAddr() {
		return this.environment.localAddr();
	}

	@Override
	public int getLocalPort() {
		return this.environment.localPort();
	}

	@Override
	public ServletContext getServletContext() {
		return this.context;
	}

	@Override
	public String getRequestId() {
		return Long.toString(this.requestId);
	}

	/** The FastCGI request id, which is per connection. */
	@Override
	public String getProtocolRequestId() {
		return Integer.toString(this.exchange.requestId());
	}

	@Override
	public ServletConnection getServletConnection() {
		String protocol = getProtocol().toLowerCase(Locale.ROOT);
		boolean secure = isSecure();
		String connectionId = getRequestId();
		return new ServletConnection() {

			@Override
			public String getConnectionId() {
				return connectionId;
			}

			@Override
			public String getProtocol() {
				return protocol;
			}

			@Override
			public String getProtocolConnectionId() {
				return "";
			}

			@Override
			public boolean isSecure() {
				return secure;
			}

		};
	}

	// Headers

	@Override
	public String getHeader(String name) {
		return this.environment.headers().get(name);
	}

	@Override
	public Enumeration<String> getHeaders(String name) {
		return Collections.enumeration(this.environment.headers().getAll(name));
	}

	@Override
	public Enumeration<String> getHeaderNames() {
		return Collections.enumeration(this.environment.headers().names());
	}

	@Override
	public long getDateHeader(String name) {
		String value = getHeader(name);
		if (value == null) {
			return -1;
		}
		for (DateTimeFormatter format : DATE_FORMATS) {
			try {
				return ZonedDateTime.parse(value.trim(), format).toInstant().toEpochMilli();
			}
			catch (DateTimeParseException ex) {
				// Try the next of the three formats HTTP allows
			}
		}
		throw new IllegalArgumentException("Header " + name + " is not a date: " + value);
	}

	@Override
	public int getIntHeader(String name) {
		String value = getHeader(name);
		return (value != null) ? Integer.parseInt(value.trim()) : -1;
	}

	@Override
	public synchronized Cookie[] getCookies() {
		if (this.cookies == null) {
			this.cookies = Cookies.parse(getHeader("Cookie"));
		}
		return this.cookies.isEmpty() ? null : this.cookies.toArray(new Cookie[0]);
	}

	@Override
	public Locale getLocale() {
		List<Locale> preferred = locales();
		return preferred.isEmpty() ? Locale.getDefault() : preferred.get(0);
	}

	@Override
	public Enumeration<Locale> getLocales() {
		List<Locale> preferred = locales();
		return Collections.enumeration(preferred.isEmpty() ? List.of(Locale.getDefault()) : preferred);
	}

	private synchronized List<Locale> locales() {
		if (this.locales == null) {
			this.locales = AcceptLanguage.parse(getHeader("Accept-Language"));
		}
		return this.locales;
	}

	// Body

	@Override
	public String getContentType() {
		return getHeader("Content-Type");
	}

	@Override
	public int getContentLength() {
		long length = getContentLengthLong();
		return (length <= Integer.MAX_VALUE) ? (int) length : -1;
	}

	@Override
	public long getContentLengthLong() {
		return this.environment.contentLength();
	}

	@Override
	public synchronized String getCharacterEncoding() {
		if (this.characterEncoding != null) {
			return this.characterEncoding;
		}
		ContentType contentType = parsedContentType();
		String fromContentType = (contentType != null) ? contentType.charset() : null;
		return (fromContentType != null) ? fromContentType : this.context.getRequestCharacterEncoding();
	}

	@Override
	public synchronized void setCharacterEncoding(String encoding) throws UnsupportedEncodingException {
		if (this.bodyUse == BodyUse.READER || this.requestParameters != null) {
			return;
		}
		if (encoding != null) {
			charset(encoding);
		}
		this.characterEncoding = encoding;
	}

	/** The request's Content-Type parsed, or {@code null} if it has none. */
	private synchronized ContentType parsedContentType() {
		if (this.parsedContentType == null) {
			String contentType = getContentType();
			this.parsedContentType = (contentType != null) ? ContentType.parse(contentType) : null;
		}
		return this.parsedContentType;
	}

	private Charset bodyCharset() throws UnsupportedEncodingException {
		String encoding = getCharacterEncoding();
		return (encoding != null) ? charset(encoding) : StandardCharsets.ISO_8859_1;
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
	public synchronized ServletInputStream getInputStream() {
		if (this.bodyUse == BodyUse.READER) {
			throw new IllegalStateException("getReader() has already been called for this request");
		}
		if (this.bodyUse == BodyUse.NONE) {
			this.bodyUse = BodyUse.STREAM;
		}
		return bodyStream();
	}

	@Override
	public synchronized BufferedReader getReader() throws IOException {
		if (this.bodyUse == BodyUse.STREAM) {
			throw new IllegalStateException("getInputStream() has already been called for this request");
		}
		if (this.reader == null) {
			// A decoder reports bytes that are not valid in the charset, as Tomcat's reader does
			this.reader = new BufferedReader(new InputStreamReader(bodyStream(), bodyCharset().newDecoder()));
		}
		if (this.bodyUse == BodyUse.NONE) {
			this.bodyUse = BodyUse.READER;
		}
		return this.reader;
	}

	private RequestInputStream bodyStream() {
		if (this.inputStream == null) {
			this.inputStream = new RequestInputStream(this.exchange.stdin(), this);
		}
		return this.inputStream;
	}

	// Parameters

	@Override
	public String getParameter(String name) {
		List<String> values = this.state.parameters().get(name);
		return (values != null) ? values.get(0) : null;
	}

	@Override
	public Enumeration<String> getParameterNames() {
		return Collections.enumeration(this.state.parameters().keySet());
	}

	@Override
	public String[] getParameterValues(String name) {
		List<String> values = this.state.parameters().get(name);
		return (values != null) ? values.toArray(new String[0]) : null;
	}

	@Override
	public Map<String, String[]> getParameterMap() {
		Map<String, String[]> map = new LinkedHashMap<>();
		this.state.parameters().forEach((name, values) -> map.put(name, values.toArray(new String[0])));
		return Collections.unmodifiableMap(map);
	}

	/**
	 * The request's own parameters: the query string (UTF-8, as Tomcat decodes it), then for a
	 * POST the form body or the multipart form fields, as Tomcat reads them. A failure is thrown
	 * by the call that parses, as on Tomcat; later calls get the parameters parsed before it.
	 */
	private synchronized Map<String, List<String>> requestParameters() {
		if (this.requestParameters != null) {
			return this.requestParameters;
		}
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		try {
			if (this.rootState.queryString() != null) {
				UrlEncodedForm.parse(this.rootState.queryString(), StandardCharsets.UTF_8, parameters);
			}
			ContentType contentType = parsedContentType();
			if ("POST".equals(this.environment.method()) && contentType != null) {
				String mediaType = contentType.mediaType();
				if (mediaType.equals(FORM_URLENCODED) && this.bodyUse == BodyUse.NONE) {
					readFormBody(parameters);
				}
				else if (mediaType.equals(MULTIPART_FORM_DATA) && multipartConfig() != null
						&& (this.bodyUse == BodyUse.NONE || this.bodyUse == BodyUse.PARAMETERS)) {
					addMultipartFields(parameters);
				}
			}
		}
		finally {
			parameters.replaceAll((name, values) -> List.copyOf(values));
			this.requestParameters = Collections.unmodifiableMap(parameters);
		}
		return this.requestParameters;
	}

	private void readFormBody(Map<String, List<String>> parameters) {
		this.bodyUse = BodyUse.PARAMETERS;
		byte[] body;
		try {
			body = bodyStream().readNBytes((int) MAX_FORM_BODY_BYTES + 1);
		}
		catch (IOException ex) {
			throw new InvalidParameterException("Cannot read the form body", ex);
		}
		if (body.length > MAX_FORM_BODY_BYTES) {
			throw new InvalidParameterException("The form body exceeds the maximum size of " + MAX_FORM_BODY_BYTES
					+ " bytes", HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
		}
		try {
			UrlEncodedForm.parse(body, bodyCharset(), parameters);
		}
		catch (UnsupportedEncodingException ex) {
			this.context.log("Cannot decode the form body", ex);
		}
	}

	/** Multipart failures are kept for {@link #getParts()} to report; parameters go without. */
	private void addMultipartFields(Map<String, List<String>> parameters) {
		try {
			for (MultipartPart part : parseParts()) {
				if (part.isFormField()) {
					parameters.computeIfAbsent(part.getName(), (key) -> new ArrayList<>())
						.add(part.contentAsString(bodyCharset()));
				}
			}
		}
		catch (IOException | ServletException | RuntimeException ex) {
			this.context.log("Cannot read the multipart form fields: " + ex.getMessage());
		}
	}

	// Multipart

	@Override
	public Collection<Part> getParts() throws IOException, ServletException {
		return List.copyOf(parseParts());
	}

	@Override
	public Part getPart(String name) throws IOException, ServletException {
		for (Part part : parseParts()) {
			if (part.getName().equals(name)) {
				return part;
			}
		}
		return null;
	}

	private MultipartConfigElement multipartConfig() {
		FastCgiServletRegistration servlet = this.state.servlet();
		return (servlet != null) ? servlet.multipartConfig() : null;
	}

	private synchronized List<MultipartPart> parseParts() throws IOException, ServletException {
		if (this.partsFailure != null) {
			throw this.partsFailure;
		}
		if (this.partsIoFailure != null) {
			throw this.partsIoFailure;
		}
		if (this.parts != null) {
			return this.parts;
		}
		MultipartConfigElement config = multipartConfig();
		if (config == null) {
			throw new IllegalStateException(
					"Unable to process parts as no multipart configuration has been provided for the servlet");
		}
		ContentType contentType = parsedContentType();
		if (contentType == null || !contentType.mediaType().equals(MULTIPART_FORM_DATA)) {
			throw new ServletException("The request content type is not " + MULTIPART_FORM_DATA);
		}
		String boundary = contentType.parameter("boundary");
		if (boundary == null || boundary.isEmpty()) {
			throw new ServletException("The multipart request has no boundary");
		}
		if (this.bodyUse == BodyUse.STREAM || this.bodyUse == BodyUse.READER) {
			throw new IllegalStateException("The request body has already been read");
		}
		this.bodyUse = BodyUse.PARAMETERS;
		List<MultipartPart> parsed = new ArrayList<>();
		this.parts = parsed;
		try {
			long maxRequestSize = config.getMaxRequestSize();
			if (maxRequestSize >= 0 && getContentLengthLong() > maxRequestSize) {
				throw new IllegalStateException("The request was rejected because its size ("
						+ getContentLengthLong() + ") exceeds the configured maximum of " + maxRequestSize + " bytes");
			}
			Charset headerCharset = (getCharacterEncoding() != null) ? bodyCharset() : StandardCharsets.UTF_8;
			new MultipartParser(bodyStream(), boundary, config, multipartLocation(config), headerCharset)
				.parse(parsed);
			this.parts = List.copyOf(parsed);
			return this.parts;
		}
		catch (RuntimeException ex) {
			this.partsFailure = ex;
			throw ex;
		}
		catch (IOException ex) {
			this.partsIoFailure = ex;
			throw ex;
		}
	}

	private Path multipartLocation(MultipartConfigElement config) {
		Path tempDirectory = this.context.getTempDirectory();
		String location = config.getLocation();
		return (location == null || location.isEmpty()) ? tempDirectory : tempDirectory.resolve(location);
	}

	// Sessions

	@Override
	public HttpSession getSession() {
		return getSession(true);
	}

	@Override
	public synchronized HttpSession getSession(boolean create) {
		if (this.session != null && this.session.isValid()) {
			return this.session;
		}
		this.session = null;
		String requestedId = getRequestedSessionId();
		FastCgiSession requested = this.context.getSessionManager().find(requestedId);
		if (requested != null && requested.isValid()) {
			requested.access();
			this.session = requested;
			return requested;
		}
		if (!create) {
			return null;
		}
		if (this.response.isCommitted()) {
			throw new IllegalStateException("Cannot create a session after the response has been committed");
		}
		this.session = this.context.getSessionManager().create();
		sendSessionCookie();
		return this.session;
	}

	private void sendSessionCookie() {
		if (this.context.tracksSessionsByCookie()) {
			this.response.setSessionCookie(this.context.sessionCookieConfigInternal()
				.createCookie(this.session.getId(), this.context.getContextPath()));
		}
	}

	@Override
	public synchronized String changeSessionId() {
		HttpSession current = getSession(false);
		if (current == null) {
			throw new IllegalStateException("The request has no session whose id could change");
		}
		String newId = this.context.getSessionManager().changeId(this.session);
		sendSessionCookie();
		return newId;
	}

	/** The first session id among the session cookies that names a live session, else the first. */
	@Override
	public synchronized String getRequestedSessionId() {
		if (!this.requestedSessionIdResolved) {
			this.requestedSessionIdResolved = true;
			if (this.context.tracksSessionsByCookie()) {
				this.requestedSessionId = requestedSessionIdFromCookies();
			}
		}
		return this.requestedSessionId;
	}

	private String requestedSessionIdFromCookies() {
		String name = this.context.getSessionCookieConfig().getName();
		String first = null;
		getCookies();
		for (Cookie cookie : this.cookies) {
			if (cookie.getName().equals(name)) {
				if (this.context.getSessionManager().find(cookie.getValue()) != null) {
					return cookie.getValue();
				}
				if (first == null) {
					first = cookie.getValue();
				}
			}
		}
		return first;
	}

	@Override
	public boolean isRequestedSessionIdValid() {
		String requestedId = getRequestedSessionId();
		return requestedId != null && this.context.getSessionManager().find(requestedId) != null;
	}

	@Override
	public boolean isRequestedSessionIdFromCookie() {
		return getRequestedSessionId() != null;
	}

	@Override
	public boolean isRequestedSessionIdFromURL() {
		return false;
	}

	// Security: the web server (or an authorizer) authenticates; Spring Security wraps the rest.

	@Override
	public synchronized String getRemoteUser() {
		return this.loggedOut ? null : this.environment.remoteUser();
	}

	@Override
	public Principal getUserPrincipal() {
		String user = getRemoteUser();
		return (user != null) ? new RemoteUserPrincipal(user) : null;
	}

	@Override
	public String getAuthType() {
		return (getRemoteUser() != null) ? this.environment.authType() : null;
	}

	@Override
	public boolean isUserInRole(String role) {
		return false;
	}

	@Override
	public boolean authenticate(HttpServletResponse response) throws ServletException {
		if (getRemoteUser() != null) {
			return true;
		}
		throw new ServletException("No container authentication is configured: the web server authenticates");
	}

	@Override
	public void login(String username, String password) throws ServletException {
		throw new ServletException("No container login is configured: the web server authenticates");
	}

	@Override
	public synchronized void logout() {
		this.loggedOut = true;
	}

	@Override
	public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws ServletException {
		throw new ServletException("HTTP upgrade is not possible over FastCGI");
	}

	// Async

	@Override
	public AsyncContext startAsync() {
		return startAsync(this, this.response, true);
	}

	@Override
	public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
		return startAsync(servletRequest, servletResponse,
				servletRequest == this && servletResponse == this.response);
	}

	private synchronized AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse,
			boolean original) {
		if (!isAsyncSupported()) {
			throw new IllegalStateException("Async is not supported by the servlet or a filter of this request ("
					+ getRequestURI() + ")");
		}
		if (this.asyncContext == null) {
			this.asyncContext = new FastCgiAsyncContext(this);
			this.exchange.onAbort(this.asyncContext::abort);
		}
		this.asyncContext.start(servletRequest, servletResponse, original);
		return this.asyncContext;
	}

	@Override
	public synchronized boolean isAsyncStarted() {
		return this.asyncContext != null && this.asyncContext.isStarted();
	}

	@Override
	public boolean isAsyncSupported() {
		return this.state.isAsyncSupported();
	}

	@Override
	public synchronized AsyncContext getAsyncContext() {
		if (!isAsyncStarted()) {
			throw new IllegalStateException("The request is not in async mode");
		}
		return this.asyncContext;
	}

	private enum BodyUse {

		NONE, STREAM, READER, PARAMETERS

	}

	private record RemoteUserPrincipal(String name) implements Principal {

		@Override
		public String getName() {
			return this.name;
		}

	}

}
