package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextAttributeEvent;
import jakarta.servlet.ServletContextAttributeListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.descriptor.JspConfigDescriptor;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The {@link ServletContext} of an application served over FastCGI.
 * <p>
 * Life cycle: create it, configure it and add servlets, filters and listeners (directly or by
 * running {@code ServletContainerInitializer}s against it), then {@link #start()}; serve requests
 * with a {@link FastCgiServletHandler}; finally {@link #stop()}. Registrations are refused once
 * the context has started, as the Servlet specification requires.
 */
public class FastCgiServletContext implements ServletContext {

	private static final Log logger = LogFactory.getLog(FastCgiServletContext.class);

	static final String SERVER_INFO = "fastcgi-spring-boot";

	private static final Duration DEFAULT_ASYNC_TIMEOUT = Duration.ofSeconds(30);

	private final String contextPath;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final InitParameters initParameters = new InitParameters();

	private final Map<String, FastCgiServletRegistration> servlets = Collections.synchronizedMap(new LinkedHashMap<>());

	private final Map<String, FastCgiFilterRegistration> filters = Collections.synchronizedMap(new LinkedHashMap<>());

	private final ServletMappings servletMappings = new ServletMappings();

	private final FilterMappings filterMappings = new FilterMappings();

	private final List<ServletContextListener> contextListeners = new CopyOnWriteArrayList<>();

	private final List<ServletContextAttributeListener> contextAttributeListeners = new CopyOnWriteArrayList<>();

	private final List<ServletRequestListener> requestListeners = new CopyOnWriteArrayList<>();

	private final List<ServletRequestAttributeListener> requestAttributeListeners = new CopyOnWriteArrayList<>();

	private final List<HttpSessionListener> sessionListeners = new CopyOnWriteArrayList<>();

	private final List<HttpSessionIdListener> sessionIdListeners = new CopyOnWriteArrayList<>();

	private final List<HttpSessionAttributeListener> sessionAttributeListeners = new CopyOnWriteArrayList<>();

	private final MimeTypes mimeTypes = new MimeTypes();

	private final ErrorPages errorPages = new ErrorPages();

	private final SessionManager sessionManager = new SessionManager(this);

	private final FastCgiSessionCookieConfig sessionCookieConfig = new FastCgiSessionCookieConfig(this);

	private volatile Set<SessionTrackingMode> sessionTrackingModes = EnumSet.of(SessionTrackingMode.COOKIE);

	private volatile String displayName = "application";

	private volatile ClassLoader classLoader = Thread.currentThread().getContextClassLoader();

	private volatile Path documentRoot;

	private volatile Path tempDirectory;

	private volatile boolean ownsTempDirectory;

	private volatile Duration asyncTimeout = DEFAULT_ASYNC_TIMEOUT;

	private volatile ResponseCompression responseCompression;

	/**
	 * The charset {@code ServletResponse.setLocale} picks while none is chosen, by locale
	 * ({@code en_US}) or language ({@code en}): English, French and Japanese map to UTF-8, as
	 * Spring Boot maps them on Tomcat.
	 */
	private final Map<String, String> localeCharsets = new ConcurrentHashMap<>(
			Map.of("en", "UTF-8", "fr", "UTF-8", "ja", "UTF-8"));

	private volatile Function<Cookie, String> cookieSameSite = (cookie) -> null;

	private volatile Executor asyncExecutor;

	private ExecutorService ownAsyncExecutor;

	private volatile String requestCharacterEncoding;

	private volatile String responseCharacterEncoding;

	private volatile State state = State.NEW;

	/**
	 * Creates a context.
	 * @param contextPath {@code ""} (or {@code "/"}) for the root context, else a path such as
	 * {@code "/app"}, as Spring Boot's {@code server.servlet.context-path}
	 */
	public FastCgiServletContext(String contextPath) {
		this.contextPath = normalizeContextPath(contextPath);
	}

	private static String normalizeContextPath(String contextPath) {
		if (contextPath == null || contextPath.isEmpty() || contextPath.equals("/")) {
			return "";
		}
		if (!contextPath.startsWith("/") || contextPath.endsWith("/")) {
			throw new IllegalArgumentException(
					"Context path '" + contextPath + "' must start with '/' and must not end with '/'");
		}
		return contextPath;
	}

	// Configuration for the layer that creates the context

	public void setDisplayName(String displayName) {
		this.displayName = displayName;
	}

	public void setClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	/**
	 * A directory whose files are the context's resources ({@link #getResource}, {@link #getRealPath});
	 * none by default, as for an application packaged as a jar.
	 */
	public void setDocumentRoot(Path documentRoot) {
		this.documentRoot = documentRoot;
	}

	/**
	 * The directory published as {@link ServletContext#TEMPDIR} and used for multipart files
	 * without a location of their own; by default a new directory deleted when the context stops.
	 */
	public void setTempDirectory(Path tempDirectory) {
		checkNotStarted();
		this.tempDirectory = tempDirectory;
	}

	public Path getTempDirectory() {
		return this.tempDirectory;
	}

	/** The timeout of async requests whose application does not set one; 30 s by default. */
	public void setAsyncTimeout(Duration asyncTimeout) {
		this.asyncTimeout = asyncTimeout;
	}

	public Duration getAsyncTimeout() {
		return this.asyncTimeout;
	}

	/**
	 * The executor of {@code AsyncContext.start(Runnable)} and of read and write listeners; by
	 * default a pool of daemon threads of this context.
	 */
	public void setAsyncExecutor(Executor asyncExecutor) {
		this.asyncExecutor = asyncExecutor;
	}

	/** Sets the page the ERROR dispatch goes to for a status (such as Boot's {@code ErrorPage(404, ...)}). */
	public void addErrorPage(int status, String location) {
		this.errorPages.addForStatus(status, location);
	}

	/** Sets the page the ERROR dispatch goes to for an exception type and its subclasses. */
	public void addErrorPage(Class<? extends Throwable> exceptionType, String location) {
		this.errorPages.addForException(exceptionType, location);
	}

	/** Sets the page for every error no other page covers (Boot's global {@code ErrorPage("/error")}). */
	public void setGlobalErrorPage(String location) {
		this.errorPages.setGlobal(location);
	}

	/** Which responses are gzip-compressed; {@code null}, the default, for none. */
	public void setResponseCompression(ResponseCompression responseCompression) {
		this.responseCompression = responseCompression;
	}

	public ResponseCompression getResponseCompression() {
		return this.responseCompression;
	}

	/** Maps a locale to the charset {@code setLocale} chooses for it ({@code server.servlet.encoding.mapping}). */
	public void addLocaleCharset(Locale locale, Charset charset) {
		this.localeCharsets.put(locale.toString(), charset.name());
	}

	/** The charset mapped to the locale, to its language and country, or to its language; {@code null} if none. */
	String getLocaleCharset(Locale locale) {
		String charset = this.localeCharsets.get(locale.toString());
		if (charset == null) {
			charset = this.localeCharsets.get(locale.getLanguage() + "_" + locale.getCountry());
		}
		return (charset != null) ? charset : this.localeCharsets.get(locale.getLanguage());
	}

	/**
	 * Decides the {@code SameSite} attribute of a cookie that sets none itself (Spring Boot's
	 * {@code CookieSameSiteSupplier} beans); the function returns {@code null} for none.
	 */
	public void setCookieSameSite(Function<Cookie, String> cookieSameSite) {
		this.cookieSameSite = cookieSameSite;
	}

	Function<Cookie, String> getCookieSameSite() {
		return this.cookieSameSite;
	}

	public void addMimeMapping(String extension, String mimeType) {
		this.mimeTypes.add(extension, mimeType);
	}

	public SessionManager getSessionManager() {
		return this.sessionManager;
	}

	/** The session timeout with a precision finer than {@link #setSessionTimeout(int)}'s minutes. */
	public void setSessionTimeout(Duration timeout) {
		this.sessionManager.setTimeout(timeout);
	}

	// Life cycle

	/**
	 * Starts the context: creates the temporary directory, tells the context listeners, initialises
	 * the filters, then the servlets that load on startup in ascending order.
	 * @throws ServletException when a listener, filter or servlet fails to initialise
	 */
	public synchronized void start() throws ServletException {
		if (this.state != State.NEW) {
			throw new IllegalStateException("Context has already been started");
		}
		this.state = State.STARTING;
		createTempDirectory();
		this.sessionManager.start();
		ServletContextEvent event = new ServletContextEvent(this);
		for (ServletContextListener listener : this.contextListeners) {
			listener.contextInitialized(event);
		}
		for (FastCgiFilterRegistration filter : filterRegistrations()) {
			filter.init();
		}
		List<FastCgiServletRegistration> loadOnStartup = servletRegistrations().stream()
			.filter((servlet) -> servlet.loadOnStartup() >= 0)
			.sorted(Comparator.comparingInt(FastCgiServletRegistration::loadOnStartup))
			.toList();
		for (FastCgiServletRegistration servlet : loadOnStartup) {
			servlet.initializedServlet();
		}
		this.state = State.STARTED;
	}

	/**
	 * Stops the context: ends the sessions, destroys the servlets and filters, then tells the
	 * context listeners in reverse order.
	 */
	public synchronized void stop() {
		if (this.state == State.STOPPED || this.state == State.NEW) {
			this.state = State.STOPPED;
			return;
		}
		this.state = State.STOPPED;
		this.sessionManager.stop();
		servletRegistrations().forEach(FastCgiServletRegistration::destroy);
		filterRegistrations().forEach(FastCgiFilterRegistration::destroy);
		ServletContextEvent event = new ServletContextEvent(this);
		List<ServletContextListener> listeners = new ArrayList<>(this.contextListeners);
		Collections.reverse(listeners);
		for (ServletContextListener listener : listeners) {
			try {
				listener.contextDestroyed(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Context listener " + listener + " failed", ex);
			}
		}
		if (this.ownAsyncExecutor != null) {
			this.ownAsyncExecutor.shutdownNow();
			this.ownAsyncExecutor = null;
		}
		deleteOwnTempDirectory();
	}

	public boolean isStarted() {
		return this.state == State.STARTED;
	}

	void checkNotStarted() {
		if (this.state != State.NEW) {
			throw new IllegalStateException("The context has already been initialized");
		}
	}

	private void createTempDirectory() {
		if (this.tempDirectory == null) {
			try {
				this.tempDirectory = Files.createTempDirectory("fastcgi-servlet-");
				this.ownsTempDirectory = true;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create the context's temporary directory", ex);
			}
		}
		this.attributes.put(TEMPDIR, this.tempDirectory.toFile());
	}

	private void deleteOwnTempDirectory() {
		if (!this.ownsTempDirectory) {
			return;
		}
		try (Stream<Path> paths = Files.walk(this.tempDirectory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			logger.debug("Cannot delete " + this.tempDirectory, ex);
		}
	}

	// Internals used by requests

	ServletMappings servletMappings() {
		return this.servletMappings;
	}

	FilterMappings filterMappings() {
		return this.filterMappings;
	}

	ErrorPages errorPages() {
		return this.errorPages;
	}

	FastCgiSessionCookieConfig sessionCookieConfigInternal() {
		return this.sessionCookieConfig;
	}

	Executor asyncExecutor() {
		Executor executor = this.asyncExecutor;
		if (executor != null) {
			return executor;
		}
		synchronized (this) {
			if (this.ownAsyncExecutor == null) {
				AtomicInteger threadCount = new AtomicInteger();
				this.ownAsyncExecutor = Executors.newCachedThreadPool((task) -> {
					Thread thread = new Thread(task, "fastcgi-async-" + threadCount.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
			}
			return this.ownAsyncExecutor;
		}
	}

	private List<FastCgiServletRegistration> servletRegistrations() {
		synchronized (this.servlets) {
			return List.copyOf(this.servlets.values());
		}
	}

	private List<FastCgiFilterRegistration> filterRegistrations() {
		synchronized (this.filters) {
			return List.copyOf(this.filters.values());
		}
	}

	// Events

	void fireRequestInitialized(ServletRequest request) {
		if (!this.requestListeners.isEmpty()) {
			ServletRequestEvent event = new ServletRequestEvent(this, request);
			this.requestListeners.forEach((listener) -> listener.requestInitialized(event));
		}
	}

	void fireRequestDestroyed(ServletRequest request) {
		if (!this.requestListeners.isEmpty()) {
			ServletRequestEvent event = new ServletRequestEvent(this, request);
			List<ServletRequestListener> listeners = new ArrayList<>(this.requestListeners);
			Collections.reverse(listeners);
			listeners.forEach((listener) -> listener.requestDestroyed(event));
		}
	}

	void fireRequestAttributeChange(ServletRequest request, String name, Object oldValue, Object newValue) {
		if (this.requestAttributeListeners.isEmpty() || oldValue == newValue) {
			return;
		}
		Object eventValue = (oldValue != null) ? oldValue : newValue;
		ServletRequestAttributeEvent event = new ServletRequestAttributeEvent(this, request, name, eventValue);
		for (ServletRequestAttributeListener listener : this.requestAttributeListeners) {
			if (oldValue == null) {
				listener.attributeAdded(event);
			}
			else if (newValue == null) {
				listener.attributeRemoved(event);
			}
			else {
				listener.attributeReplaced(event);
			}
		}
	}

	void fireSessionCreated(FastCgiSession session) {
		HttpSessionEvent event = new HttpSessionEvent(session);
		this.sessionListeners.forEach((listener) -> listener.sessionCreated(event));
	}

	void fireSessionDestroyed(FastCgiSession session) {
		HttpSessionEvent event = new HttpSessionEvent(session);
		List<HttpSessionListener> listeners = new ArrayList<>(this.sessionListeners);
		Collections.reverse(listeners);
		listeners.forEach((listener) -> listener.sessionDestroyed(event));
	}

	void fireSessionIdChanged(FastCgiSession session, String oldId) {
		HttpSessionEvent event = new HttpSessionEvent(session);
		this.sessionIdListeners.forEach((listener) -> listener.sessionIdChanged(event, oldId));
	}

	void fireSessionAttributeAdded(HttpSessionBindingEvent event) {
		this.sessionAttributeListeners.forEach((listener) -> listener.attributeAdded(event));
	}

	void fireSessionAttributeReplaced(HttpSessionBindingEvent event) {
		this.sessionAttributeListeners.forEach((listener) -> listener.attributeReplaced(event));
	}

	void fireSessionAttributeRemoved(HttpSessionBindingEvent event) {
		this.sessionAttributeListeners.forEach((listener) -> listener.attributeRemoved(event));
	}

	// ServletContext

	@Override
	public String getContextPath() {
		return this.contextPath;
	}

	@Override
	public ServletContext getContext(String uripath) {
		boolean inThisContext = uripath != null && uripath.startsWith(this.contextPath)
				&& (uripath.length() == this.contextPath.length() || uripath.charAt(this.contextPath.length()) == '/');
		return inThisContext ? this : null;
	}

	@Override
	public int getMajorVersion() {
		return 6;
	}

	@Override
	public int getMinorVersion() {
		return 1;
	}

	@Override
	public int getEffectiveMajorVersion() {
		return 6;
	}

	@Override
	public int getEffectiveMinorVersion() {
		return 1;
	}

	@Override
	public String getMimeType(String file) {
		return (file != null) ? this.mimeTypes.forFileName(file) : null;
	}

	@Override
	public Set<String> getResourcePaths(String path) {
		Path directory = resolveResource(path);
		if (directory == null || !Files.isDirectory(directory)) {
			return null;
		}
		String prefix = path.endsWith("/") ? path : path + "/";
		try (Stream<Path> children = Files.list(directory)) {
			Set<String> paths = new LinkedHashSet<>();
			children.sorted()
				.forEach((child) -> paths.add(prefix + child.getFileName() + (Files.isDirectory(child) ? "/" : "")));
			return paths;
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Override
	public URL getResource(String path) throws MalformedURLException {
		if (path == null || !path.startsWith("/")) {
			throw new MalformedURLException("Resource path '" + path + "' must start with '/'");
		}
		Path file = resolveResource(path);
		return (file != null && Files.exists(file)) ? file.toUri().toURL() : null;
	}

	@Override
	public InputStream getResourceAsStream(String path) {
		Path file = resolveResource(path);
		if (file == null || !Files.isRegularFile(file)) {
			return null;
		}
		try {
			return Files.newInputStream(file);
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Override
	public String getRealPath(String path) {
		Path file = resolveResource(path);
		return (file != null) ? file.toString() : null;
	}

	/** The file of a resource path inside the document root, or {@code null}. */
	private Path resolveResource(String path) {
		Path root = this.documentRoot;
		if (root == null || path == null || !path.startsWith("/")) {
			return null;
		}
		Path file = root.resolve(path.substring(1)).normalize();
		return file.startsWith(root.normalize()) ? file : null;
	}

	/**
	 * Returns a dispatcher for a context-relative path (escapes allowed, query optional), or
	 * {@code null} when the path is invalid or no servlet maps it.
	 */
	@Override
	public RequestDispatcher getRequestDispatcher(String path) {
		if (path == null || !path.startsWith("/")) {
			throw new IllegalArgumentException("Dispatch path '" + path + "' must start with '/'");
		}
		DispatchTarget target = resolveDispatchPath(path);
		return (target != null) ? FastCgiRequestDispatcher.toPath(target) : null;
	}

	@Override
	public RequestDispatcher getNamedDispatcher(String name) {
		FastCgiServletRegistration servlet = this.servlets.get(name);
		return (servlet != null) ? FastCgiRequestDispatcher.toServlet(servlet) : null;
	}

	/**
	 * Resolves a context-relative dispatch path as Tomcat does: escapes decoded as UTF-8, the path
	 * normalised, then mapped.
	 * @return the target, or {@code null} when the path is invalid or no servlet maps it
	 */
	DispatchTarget resolveDispatchPath(String path) {
		int question = path.indexOf('?');
		String pathPart = (question >= 0) ? path.substring(0, question) : path;
		String query = (question >= 0) ? path.substring(question + 1) : null;
		try {
			String decoded = RequestPaths
				.decode(new String(pathPart.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
			ServletMatch match = this.servletMappings.match(decoded);
			return (match != null) ? new DispatchTarget(this.contextPath + pathPart, query, match) : null;
		}
		catch (BadRequestException ex) {
			return null;
		}
	}

	@Override
	public void log(String msg) {
		logger.info(msg);
	}

	@Override
	public void log(String message, Throwable throwable) {
		logger.error(message, throwable);
	}

	@Override
	public String getServerInfo() {
		return SERVER_INFO;
	}

	@Override
	public String getInitParameter(String name) {
		return this.initParameters.get(name);
	}

	@Override
	public Enumeration<String> getInitParameterNames() {
		return this.initParameters.names();
	}

	@Override
	public boolean setInitParameter(String name, String value) {
		checkNotStarted();
		return this.initParameters.setIfAbsent(name, value);
	}

	@Override
	public Object getAttribute(String name) {
		return this.attributes.get(name);
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		return Collections.enumeration(Set.copyOf(this.attributes.keySet()));
	}

	@Override
	public void setAttribute(String name, Object object) {
		if (name == null) {
			throw new IllegalArgumentException("Attribute name must not be null");
		}
		if (object == null) {
			removeAttribute(name);
			return;
		}
		Object old = this.attributes.put(name, object);
		if (old == null) {
			fireContextAttributeEvent(name, object, ServletContextAttributeListener::attributeAdded);
		}
		else if (old != object) {
			fireContextAttributeEvent(name, old, ServletContextAttributeListener::attributeReplaced);
		}
	}

	@Override
	public void removeAttribute(String name) {
		Object old = this.attributes.remove(name);
		if (old != null) {
			fireContextAttributeEvent(name, old, ServletContextAttributeListener::attributeRemoved);
		}
	}

	private void fireContextAttributeEvent(String name, Object value,
			BiConsumer<ServletContextAttributeListener, ServletContextAttributeEvent> method) {
		if (!this.contextAttributeListeners.isEmpty()) {
			ServletContextAttributeEvent event = new ServletContextAttributeEvent(this, name, value);
			this.contextAttributeListeners.forEach((listener) -> method.accept(listener, event));
		}
	}

	@Override
	public String getServletContextName() {
		return this.displayName;
	}

	@Override
	public ServletRegistration.Dynamic addServlet(String servletName, String className) {
		return addServlet(servletName, instantiate(className, Servlet.class));
	}

	@Override
	public ServletRegistration.Dynamic addServlet(String servletName, Servlet servlet) {
		checkNotStarted();
		checkName(servletName);
		synchronized (this.servlets) {
			if (this.servlets.containsKey(servletName)) {
				return null;
			}
			FastCgiServletRegistration registration = new FastCgiServletRegistration(this, servletName, servlet);
			this.servlets.put(servletName, registration);
			return registration;
		}
	}

	@Override
	public ServletRegistration.Dynamic addServlet(String servletName, Class<? extends Servlet> servletClass) {
		return addServlet(servletName, instantiate(servletClass));
	}

	@Override
	public ServletRegistration.Dynamic addJspFile(String servletName, String jspFile) {
		throw new UnsupportedOperationException("JSP is not supported");
	}

	@Override
	public <T extends Servlet> T createServlet(Class<T> clazz) throws ServletException {
		return create(clazz);
	}

	@Override
	public ServletRegistration getServletRegistration(String servletName) {
		return this.servlets.get(servletName);
	}

	@Override
	public Map<String, ? extends ServletRegistration> getServletRegistrations() {
		synchronized (this.servlets) {
			return Collections.unmodifiableMap(new LinkedHashMap<>(this.servlets));
		}
	}

	@Override
	public FilterRegistration.Dynamic addFilter(String filterName, String className) {
		return addFilter(filterName, instantiate(className, Filter.class));
	}

	@Override
	public FilterRegistration.Dynamic addFilter(String filterName, Filter filter) {
		checkNotStarted();
		checkName(filterName);
		synchronized (this.filters) {
			if (this.filters.containsKey(filterName)) {
				return null;
			}
			FastCgiFilterRegistration registration = new FastCgiFilterRegistration(this, filterName, filter);
			this.filters.put(filterName, registration);
			return registration;
		}
	}

	@Override
	public FilterRegistration.Dynamic addFilter(String filterName, Class<? extends Filter> filterClass) {
		return addFilter(filterName, instantiate(filterClass));
	}

	@Override
	public <T extends Filter> T createFilter(Class<T> clazz) throws ServletException {
		return create(clazz);
	}

	@Override
	public FilterRegistration getFilterRegistration(String filterName) {
		return this.filters.get(filterName);
	}

	@Override
	public Map<String, ? extends FilterRegistration> getFilterRegistrations() {
		synchronized (this.filters) {
			return Collections.unmodifiableMap(new LinkedHashMap<>(this.filters));
		}
	}

	@Override
	public SessionCookieConfig getSessionCookieConfig() {
		return this.sessionCookieConfig;
	}

	/**
	 * Only cookies carry session ids here: the URL and SSL modes are refused rather than silently
	 * ignored.
	 */
	@Override
	public void setSessionTrackingModes(Set<SessionTrackingMode> sessionTrackingModes) {
		checkNotStarted();
		if (sessionTrackingModes.stream().anyMatch((mode) -> mode != SessionTrackingMode.COOKIE)) {
			throw new IllegalArgumentException("Only SessionTrackingMode.COOKIE is supported, not "
					+ sessionTrackingModes + ": set server.servlet.session.tracking-modes=cookie or leave it unset");
		}
		this.sessionTrackingModes = sessionTrackingModes.isEmpty() ? EnumSet.noneOf(SessionTrackingMode.class)
				: EnumSet.copyOf(sessionTrackingModes);
	}

	@Override
	public Set<SessionTrackingMode> getDefaultSessionTrackingModes() {
		return EnumSet.of(SessionTrackingMode.COOKIE);
	}

	@Override
	public Set<SessionTrackingMode> getEffectiveSessionTrackingModes() {
		return EnumSet.copyOf(this.sessionTrackingModes.isEmpty() ? getDefaultSessionTrackingModes()
				: this.sessionTrackingModes);
	}

	boolean tracksSessionsByCookie() {
		return getEffectiveSessionTrackingModes().contains(SessionTrackingMode.COOKIE);
	}

	@Override
	public void addListener(String className) {
		addListener(instantiate(className, EventListener.class));
	}

	@Override
	public <T extends EventListener> void addListener(T listener) {
		checkNotStarted();
		boolean supported = false;
		supported |= addIf(listener, ServletContextListener.class, this.contextListeners::add);
		supported |= addIf(listener, ServletContextAttributeListener.class, this.contextAttributeListeners::add);
		supported |= addIf(listener, ServletRequestListener.class, this.requestListeners::add);
		supported |= addIf(listener, ServletRequestAttributeListener.class, this.requestAttributeListeners::add);
		supported |= addIf(listener, HttpSessionListener.class, this.sessionListeners::add);
		supported |= addIf(listener, HttpSessionIdListener.class, this.sessionIdListeners::add);
		supported |= addIf(listener, HttpSessionAttributeListener.class, this.sessionAttributeListeners::add);
		if (!supported) {
			throw new IllegalArgumentException("Unsupported listener type " + listener.getClass().getName());
		}
	}

	private static <T> boolean addIf(EventListener listener, Class<T> type, Consumer<T> list) {
		if (type.isInstance(listener)) {
			list.accept(type.cast(listener));
			return true;
		}
		return false;
	}

	@Override
	public void addListener(Class<? extends EventListener> listenerClass) {
		addListener(instantiate(listenerClass));
	}

	@Override
	public <T extends EventListener> T createListener(Class<T> clazz) throws ServletException {
		return create(clazz);
	}

	@Override
	public JspConfigDescriptor getJspConfigDescriptor() {
		return null;
	}

	@Override
	public ClassLoader getClassLoader() {
		return this.classLoader;
	}

	@Override
	public void declareRoles(String... roleNames) {
		// Roles come from Spring Security or the web server, not from container constraints.
		checkNotStarted();
	}

	@Override
	public String getVirtualServerName() {
		return "fastcgi";
	}

	@Override
	public int getSessionTimeout() {
		return (int) this.sessionManager.getTimeout().toMinutes();
	}

	@Override
	public void setSessionTimeout(int sessionTimeout) {
		checkNotStarted();
		this.sessionManager.setTimeout(Duration.ofMinutes(sessionTimeout));
	}

	@Override
	public String getRequestCharacterEncoding() {
		return this.requestCharacterEncoding;
	}

	@Override
	public void setRequestCharacterEncoding(String encoding) {
		checkNotStarted();
		this.requestCharacterEncoding = encoding;
	}

	@Override
	public String getResponseCharacterEncoding() {
		return this.responseCharacterEncoding;
	}

	@Override
	public void setResponseCharacterEncoding(String encoding) {
		checkNotStarted();
		this.responseCharacterEncoding = encoding;
	}

	private static void checkName(String name) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("Name must not be empty");
		}
	}

	private <T> T instantiate(String className, Class<T> type) {
		try {
			return instantiate(Class.forName(className, true, this.classLoader).asSubclass(type));
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalArgumentException("Cannot load " + className, ex);
		}
	}

	private <T> T instantiate(Class<T> type) {
		try {
			return create(type);
		}
		catch (ServletException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	private static <T> T create(Class<T> type) throws ServletException {
		try {
			return type.getDeclaredConstructor().newInstance();
		}
		catch (InvocationTargetException ex) {
			throw new ServletException("Cannot create " + type.getName(), ex.getTargetException());
		}
		catch (ReflectiveOperationException ex) {
			throw new ServletException("Cannot create " + type.getName(), ex);
		}
	}

	private enum State {

		NEW, STARTING, STARTED, STOPPED

	}

}
