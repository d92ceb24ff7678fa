package dev.fastcgi.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

import jakarta.servlet.ServletException;

import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.Cookie;
import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.server.servlet.ServletContextInitializers;
import org.springframework.boot.web.server.servlet.ServletWebServerSettings;
import org.springframework.boot.web.server.servlet.Session;
import org.springframework.boot.web.servlet.ServletContextInitializer;

import dev.fastcgi.server.FastCgiServer;
import dev.fastcgi.server.ListenAddress;
import dev.fastcgi.server.ServerListener;
import dev.fastcgi.server.ServerSettings;
import dev.fastcgi.server.ServerThreads;
import dev.fastcgi.servlet.FastCgiServletContext;
import dev.fastcgi.servlet.FastCgiServletHandler;
import dev.fastcgi.servlet.ResponseCompression;

/**
 * Makes the application's servlet web server a FastCGI application server: the servlet context
 * Boot's initializers fill (DispatcherServlet, filters, error pages) is served over FastCGI.
 */
public class FastCgiServletWebServerFactory extends AbstractConfigurableWebServerFactory
		implements ConfigurableServletWebServerFactory {

	private final ServletWebServerSettings settings = new ServletWebServerSettings();

	private final FastCgiProperties properties;

	private final List<FastCgiServerCustomizer> serverCustomizers = new ArrayList<>();

	private boolean virtualThreads;

	private Duration asyncTimeout;

	private ServerListener serverListener = ServerListener.NONE;

	private String webServerAddrs = System.getenv("FCGI_WEB_SERVER_ADDRS");

	public FastCgiServletWebServerFactory(FastCgiProperties properties) {
		this.properties = properties;
	}

	@Override
	public ServletWebServerSettings getSettings() {
		return this.settings;
	}

	/** Whether connections run on virtual threads (JDK 21+; {@code spring.threads.virtual.enabled}). */
	public void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	/** How long an async request may run before it times out ({@code spring.mvc.async.request-timeout}). */
	public void setAsyncTimeout(Duration asyncTimeout) {
		this.asyncTimeout = asyncTimeout;
	}

	/** Told of what happens on the server: metrics, health. */
	public void setServerListener(ServerListener serverListener) {
		this.serverListener = serverListener;
	}

	/**
	 * The value of {@code FCGI_WEB_SERVER_ADDRS}, the clients allowed when
	 * {@code fastcgi.allowed-clients} is unset; read from the process environment unless set.
	 */
	public void setWebServerAddrs(String webServerAddrs) {
		this.webServerAddrs = webServerAddrs;
	}

	public void addServerCustomizers(FastCgiServerCustomizer... customizers) {
		this.serverCustomizers.addAll(List.of(customizers));
	}

	@Override
	public WebServer getWebServer(ServletContextInitializer... initializers) {
		refuseWebServerTransportSettings();
		FastCgiServletContext context = createServletContext();
		this.settings.getWebListenerClassNames().forEach(context::addListener);
		try {
			for (ServletContextInitializer initializer : ServletContextInitializers.from(this.settings, initializers)) {
				initializer.onStartup(context);
			}
		}
		catch (ServletException ex) {
			throw new WebServerException("Could not initialize the FastCGI servlet context", ex);
		}
		ServerSettings serverSettings = serverSettings();
		ExecutorService executor = ServerThreads.create(this.virtualThreads, this.properties.getMaxThreads());
		FastCgiServer server = new FastCgiServer(serverSettings, new FastCgiServletHandler(context), executor,
				this.serverListener);
		return new FastCgiWebServer(server, serverSettings, () -> startContext(context), () -> {
			context.stop();
			executor.shutdownNow();
		});
	}

	/**
	 * TLS and HTTP/2 are the web server's side of the connection: over FastCGI the application
	 * cannot apply them, and a user who set them must learn where they went.
	 */
	private void refuseWebServerTransportSettings() {
		if (Ssl.isEnabled(getSsl())) {
			throw new WebServerException("server.ssl is set, but TLS ends at the web server in front of a FastCGI "
					+ "application: configure the certificate in nginx, lighttpd or Apache and remove server.ssl.* "
					+ "(the application sees HTTPS=on and reports the request as secure)", null);
		}
		if (getHttp2() != null && getHttp2().isEnabled()) {
			throw new WebServerException("server.http2.enabled is set, but HTTP/2 is spoken by the web server in front "
					+ "of a FastCGI application: enable it there (nginx 'listen 443 ssl http2', Apache Protocols h2) "
					+ "and remove server.http2.enabled", null);
		}
	}

	private static void startContext(FastCgiServletContext context) {
		try {
			context.start();
		}
		catch (ServletException ex) {
			throw new WebServerException("Could not start the FastCGI servlet context", ex);
		}
	}

	private FastCgiServletContext createServletContext() {
		FastCgiServletContext context = new FastCgiServletContext(this.settings.getContextPath().toString());
		if (this.settings.getDisplayName() != null) {
			context.setDisplayName(this.settings.getDisplayName());
		}
		context.setClassLoader(getClass().getClassLoader());
		if (this.settings.getDocumentRoot() != null) {
			context.setDocumentRoot(this.settings.getDocumentRoot().toPath());
		}
		context.setTempDirectory(createTempDir("fastcgi").toPath());
		if (this.asyncTimeout != null) {
			context.setAsyncTimeout(this.asyncTimeout);
		}
		this.settings.getInitParameters().forEach(context::setInitParameter);
		Compression compression = getCompression();
		if (compression != null && compression.getEnabled()) {
			context.setResponseCompression(responseCompression(compression));
		}
		this.settings.getLocaleCharsetMappings().forEach(context::addLocaleCharset);
		List<? extends CookieSameSiteSupplier> sameSiteSuppliers = this.settings.getCookieSameSiteSuppliers();
		if (!sameSiteSuppliers.isEmpty()) {
			context.setCookieSameSite((cookie) -> sameSite(sameSiteSuppliers, cookie));
		}
		for (MimeMappings.Mapping mapping : this.settings.getMimeMappings()) {
			context.addMimeMapping(mapping.getExtension(), mapping.getMimeType());
		}
		for (ErrorPage errorPage : getErrorPages()) {
			if (errorPage.isGlobal()) {
				context.setGlobalErrorPage(errorPage.getPath());
			}
			else if (errorPage.getException() != null) {
				context.addErrorPage(errorPage.getException(), errorPage.getPath());
			}
			else {
				context.addErrorPage(errorPage.getStatusCode(), errorPage.getPath());
			}
		}
		configureSession(context, this.settings.getSession());
		return context;
	}

	/** The first answer of the suppliers, as on Tomcat; {@code null} when none has one or it is {@code OMITTED}. */
	private static String sameSite(List<? extends CookieSameSiteSupplier> suppliers, jakarta.servlet.http.Cookie cookie) {
		for (CookieSameSiteSupplier supplier : suppliers) {
			Cookie.SameSite sameSite = supplier.getSameSite(cookie);
			if (sameSite != null) {
				return sameSite.attributeValue();
			}
		}
		return null;
	}

	private static ResponseCompression responseCompression(Compression compression) {
		String[] excludedUserAgents = compression.getExcludedUserAgents();
		return new ResponseCompression(List.of(compression.getAllMimeTypes()), compression.getMinResponseSize().toBytes(),
				(excludedUserAgents != null) ? List.of(excludedUserAgents) : List.of());
	}

	private static void configureSession(FastCgiServletContext context, Session session) {
		if (session.getTimeout() != null) {
			context.setSessionTimeout(session.getTimeout());
		}
		Cookie cookie = session.getCookie();
		jakarta.servlet.SessionCookieConfig config = context.getSessionCookieConfig();
		if (cookie.getName() != null) {
			config.setName(cookie.getName());
		}
		if (cookie.getDomain() != null) {
			config.setDomain(cookie.getDomain());
		}
		if (cookie.getPath() != null) {
			config.setPath(cookie.getPath());
		}
		if (cookie.getHttpOnly() != null) {
			config.setHttpOnly(cookie.getHttpOnly());
		}
		if (cookie.getSecure() != null) {
			config.setSecure(cookie.getSecure());
		}
		if (cookie.getMaxAge() != null) {
			config.setMaxAge((int) cookie.getMaxAge().getSeconds());
		}
		if (cookie.getSameSite() != null) {
			config.setAttribute("SameSite", cookie.getSameSite().attributeValue());
		}
	}

	ServerSettings serverSettings() {
		ServerSettings serverSettings = new ServerSettings().setAddress(listenAddress())
			.setBacklog(this.properties.getBacklog())
			.setRoles(this.properties.getMode())
			.setMultiplexing(this.properties.isMultiplexing())
			.setMaxConnections(this.properties.getMaxConnections())
			.setMaxRequests(this.properties.getMaxRequests())
			.setLimits(this.properties.decoderLimits())
			.setSocketPermissions(this.properties.getSocketPermissions())
			.setSocketGroup(this.properties.getSocketGroup())
			.setDrainTimeout(this.properties.getDrainTimeout())
			.setOverloadResponse(this.properties.getOverloadResponse())
			.setMaxRequestsPerConnection(this.properties.getMaxRequestsPerConnection())
			.setMaxBodySize(this.properties.getMaxBodySize().toBytes())
			.setParamsTimeout(this.properties.getParamsTimeout())
			.setBodyIdleTimeout(this.properties.getBodyIdleTimeout())
			.setKeepAliveTimeout(this.properties.getKeepAliveTimeout())
			.setRequestTimeout(this.properties.getRequestTimeout())
			.setSlowRequestThreshold(this.properties.getSlowRequestThreshold())
			.setAllowedClients(this.properties.allowedClients(this.webServerAddrs))
			.setAllowedPeerUsers(this.properties.getAllowedPeerUsers())
			.setAllowedPeerGroups(this.properties.getAllowedPeerGroups());
		for (FastCgiServerCustomizer customizer : this.serverCustomizers) {
			customizer.customize(serverSettings);
		}
		return serverSettings;
	}

	private ListenAddress listenAddress() {
		String socket = this.properties.getSocket();
		if (socket != null && !socket.isBlank()) {
			return ListenAddress.parse(socket);
		}
		if (getPort() == 0) {
			// a test asking for a random port (server.port=0) gets a free loopback port
			return new ListenAddress.Tcp("127.0.0.1", 0);
		}
		try {
			return ListenAddress.defaultAddress();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
