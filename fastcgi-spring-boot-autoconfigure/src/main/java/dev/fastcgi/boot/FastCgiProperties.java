package dev.fastcgi.boot;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.unit.DataSize;

import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.Role;
import dev.fastcgi.server.AllowedClients;
import dev.fastcgi.server.ListenAddress;
import dev.fastcgi.server.OverloadResponse;

/**
 * Configuration of the FastCGI application server.
 */
@ConfigurationProperties("fastcgi")
public class FastCgiProperties {

	/**
	 * Whether to serve FastCGI. Turn off to run the application on Tomcat or Jetty alone.
	 */
	private boolean enabled = true;

	/**
	 * Where to listen: 'fd:0' (the listening socket inherited on file descriptor 0, as lighttpd
	 * bin-path, spawn-fcgi and systemd StandardInput=socket provide it), 'systemd' (socket
	 * activation, first passed socket), 'unix:/path' or '/path' (a UNIX socket file the application
	 * creates and removes), 'tcp:HOST:PORT', 'HOST:PORT' or '[IPv6]:PORT' (port 0 picks a free
	 * port). When unset: fd:0 if file descriptor 0 is a listening socket, otherwise
	 * tcp:127.0.0.1:9000.
	 */
	private String socket;

	/**
	 * Length of the queue of connections waiting to be accepted, passed to listen(2).
	 */
	private int backlog = 1024;

	/**
	 * Roles the application accepts: responder, authorizer, filter, or a comma-separated list.
	 * Requests in another role are answered FCGI_UNKNOWN_ROLE.
	 */
	private Set<Role> mode = EnumSet.of(Role.RESPONDER);

	/**
	 * Whether several requests may be in flight on one connection. When off, a second concurrent
	 * request is answered FCGI_CANT_MPX_CONN. nginx, lighttpd and Apache never multiplex.
	 */
	private boolean multiplexing = true;

	/**
	 * Most connections served at once; more wait in the listen backlog.
	 */
	private int maxConnections = 1024;

	/**
	 * Most requests in progress at once; more are answered FCGI_OVERLOADED.
	 */
	private int maxRequests = 1024;

	/**
	 * Most bytes of one request's params (every request header becomes a param).
	 */
	private int maxParamsBytes = DecoderLimits.DEFAULTS.maxParamsBytes();

	/**
	 * Most params in one request.
	 */
	private int maxParamCount = DecoderLimits.DEFAULTS.maxParamCount();

	/**
	 * Most bytes of one param name.
	 */
	private int maxParamNameLength = DecoderLimits.DEFAULTS.maxNameLength();

	/**
	 * Most bytes of one param value.
	 */
	private int maxParamValueLength = DecoderLimits.DEFAULTS.maxValueLength();

	/**
	 * Permissions of the UNIX socket file, as 660 or rw-rw----. The web server's workers
	 * (nginx and Apache run them as www-data or nobody) must be able to connect; unset keeps the
	 * process umask.
	 */
	private String socketPermissions;

	/**
	 * Group owning the UNIX socket file, for example www-data, so the web server's workers can
	 * connect with permissions 660.
	 */
	private String socketGroup;

	/**
	 * How long a connection being closed with input still unread waits for the web server to
	 * finish sending before it is closed outright.
	 */
	private Duration drainTimeout = Duration.ofSeconds(2);

	/**
	 * Most platform threads running requests when virtual threads are not in use, as Tomcat's
	 * default. A kept connection holds no thread between requests; a request finding every
	 * thread busy waits for one.
	 */
	private int maxThreads = 200;

	/**
	 * How a request beyond max-requests or max-requests-per-connection is turned away:
	 * 'protocol-status' answers FCGI_OVERLOADED (nginx shows 502 Bad Gateway), 'http-503' a
	 * response with status 503 and Retry-After, which the web server passes on to the client.
	 */
	private OverloadResponse overloadResponse = OverloadResponse.PROTOCOL_STATUS;

	/**
	 * Most requests in progress on one connection, counting those whose params are still
	 * arriving; more are turned away as overloaded. nginx, lighttpd and Apache send one at a time.
	 */
	private int maxRequestsPerConnection = 16;

	/**
	 * Most bytes of one request body; -1 for no limit. A larger CONTENT_LENGTH is answered 413 at
	 * once; a streamed body (no CONTENT_LENGTH) is answered 413 when it grows past the limit, and
	 * the application's next read of it fails.
	 */
	private DataSize maxBodySize = DataSize.ofBytes(-1);

	/**
	 * Time from a request's BEGIN_REQUEST to the end of its params; a connection over it is closed.
	 */
	private Duration paramsTimeout = Duration.ofSeconds(30);

	/**
	 * How long the application waits for the web server to send more of a request body it is
	 * reading; a connection over it is closed.
	 */
	private Duration bodyIdleTimeout = Duration.ofSeconds(60);

	/**
	 * How long a connection with no request in progress stays open for the next one (nginx keeps
	 * idle upstream connections with 'keepalive').
	 */
	private Duration keepAliveTimeout = Duration.ofMinutes(5);

	/**
	 * Longest time a request may run; unset for no limit. A request over it is ended with 503 (or,
	 * when its response has started, cut short with a nonzero app status), and its further reads
	 * and writes fail.
	 */
	private Duration requestTimeout;

	/**
	 * Requests running longer are logged at WARN and counted as slow; unset for none.
	 */
	private Duration slowRequestThreshold;

	/**
	 * Addresses and CIDR blocks (IPv4 and IPv6) TCP connections may come from; others are closed
	 * when accepted. When unset, the comma-separated FCGI_WEB_SERVER_ADDRS environment variable,
	 * as libfcgi reads it; when that is unset too, any address. UNIX socket peers are not checked
	 * by address.
	 */
	private List<String> allowedClients;

	/**
	 * Users (names, or numeric uids for sockets passed by systemd) a UNIX socket peer may run as,
	 * as the kernel reports them (SO_PEERCRED). With allowed-peer-groups, a peer listed in either
	 * passes. Unset for no check.
	 */
	private Set<String> allowedPeerUsers = Set.of();

	/**
	 * Groups (names, or numeric gids for sockets passed by systemd) a UNIX socket peer may run as.
	 * Unset for no check.
	 */
	private Set<String> allowedPeerGroups = Set.of();

	private final Stderr stderr = new Stderr();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getSocket() {
		return this.socket;
	}

	public void setSocket(String socket) {
		if (socket != null && !socket.isBlank()) {
			try {
				ListenAddress.parse(socket);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("fastcgi.socket: " + ex.getMessage(), ex);
			}
		}
		this.socket = socket;
	}

	public int getBacklog() {
		return this.backlog;
	}

	public void setBacklog(int backlog) {
		requireAtLeastOne(backlog, "backlog");
		this.backlog = backlog;
	}

	public Set<Role> getMode() {
		return this.mode;
	}

	public void setMode(Set<Role> mode) {
		if (mode == null || mode.isEmpty()) {
			throw new IllegalArgumentException("fastcgi.mode must name at least one of responder, authorizer, filter");
		}
		this.mode = EnumSet.copyOf(mode);
	}

	public boolean isMultiplexing() {
		return this.multiplexing;
	}

	public void setMultiplexing(boolean multiplexing) {
		this.multiplexing = multiplexing;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		requireAtLeastOne(maxConnections, "max-connections");
		this.maxConnections = maxConnections;
	}

	public int getMaxRequests() {
		return this.maxRequests;
	}

	public void setMaxRequests(int maxRequests) {
		requireAtLeastOne(maxRequests, "max-requests");
		this.maxRequests = maxRequests;
	}

	public int getMaxParamsBytes() {
		return this.maxParamsBytes;
	}

	public void setMaxParamsBytes(int maxParamsBytes) {
		requireAtLeastOne(maxParamsBytes, "max-params-bytes");
		this.maxParamsBytes = maxParamsBytes;
	}

	public int getMaxParamCount() {
		return this.maxParamCount;
	}

	public void setMaxParamCount(int maxParamCount) {
		requireAtLeastOne(maxParamCount, "max-param-count");
		this.maxParamCount = maxParamCount;
	}

	public int getMaxParamNameLength() {
		return this.maxParamNameLength;
	}

	public void setMaxParamNameLength(int maxParamNameLength) {
		requireAtLeastOne(maxParamNameLength, "max-param-name-length");
		this.maxParamNameLength = maxParamNameLength;
	}

	public int getMaxParamValueLength() {
		return this.maxParamValueLength;
	}

	public void setMaxParamValueLength(int maxParamValueLength) {
		requireAtLeastOne(maxParamValueLength, "max-param-value-length");
		this.maxParamValueLength = maxParamValueLength;
	}

	public String getSocketPermissions() {
		return this.socketPermissions;
	}

	public void setSocketPermissions(String socketPermissions) {
		if (socketPermissions != null && !socketPermissions.matches("0?[0-7]{3}|([r-][w-][x-]){3}")) {
			throw new IllegalArgumentException("fastcgi.socket-permissions must be an octal mode such as 660 or a "
					+ "symbolic one such as rw-rw----, not '" + socketPermissions + "'");
		}
		this.socketPermissions = socketPermissions;
	}

	public String getSocketGroup() {
		return this.socketGroup;
	}

	public void setSocketGroup(String socketGroup) {
		this.socketGroup = socketGroup;
	}

	public Duration getDrainTimeout() {
		return this.drainTimeout;
	}

	public void setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
	}

	public int getMaxThreads() {
		return this.maxThreads;
	}

	public void setMaxThreads(int maxThreads) {
		requireAtLeastOne(maxThreads, "max-threads");
		this.maxThreads = maxThreads;
	}

	public OverloadResponse getOverloadResponse() {
		return this.overloadResponse;
	}

	public void setOverloadResponse(OverloadResponse overloadResponse) {
		this.overloadResponse = overloadResponse;
	}

	public int getMaxRequestsPerConnection() {
		return this.maxRequestsPerConnection;
	}

	public void setMaxRequestsPerConnection(int maxRequestsPerConnection) {
		requireAtLeastOne(maxRequestsPerConnection, "max-requests-per-connection");
		this.maxRequestsPerConnection = maxRequestsPerConnection;
	}

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = (maxBodySize != null) ? maxBodySize : DataSize.ofBytes(-1);
	}

	public Duration getParamsTimeout() {
		return this.paramsTimeout;
	}

	public void setParamsTimeout(Duration paramsTimeout) {
		this.paramsTimeout = requirePositive(paramsTimeout, "params-timeout");
	}

	public Duration getBodyIdleTimeout() {
		return this.bodyIdleTimeout;
	}

	public void setBodyIdleTimeout(Duration bodyIdleTimeout) {
		this.bodyIdleTimeout = requirePositive(bodyIdleTimeout, "body-idle-timeout");
	}

	public Duration getKeepAliveTimeout() {
		return this.keepAliveTimeout;
	}

	public void setKeepAliveTimeout(Duration keepAliveTimeout) {
		this.keepAliveTimeout = requirePositive(keepAliveTimeout, "keep-alive-timeout");
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = (requestTimeout != null) ? requirePositive(requestTimeout, "request-timeout") : null;
	}

	public Duration getSlowRequestThreshold() {
		return this.slowRequestThreshold;
	}

	public void setSlowRequestThreshold(Duration slowRequestThreshold) {
		this.slowRequestThreshold = slowRequestThreshold;
	}

	public List<String> getAllowedClients() {
		return this.allowedClients;
	}

	public void setAllowedClients(List<String> allowedClients) {
		if (allowedClients != null) {
			try {
				AllowedClients.parse(allowedClients);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("fastcgi.allowed-clients: " + ex.getMessage(), ex);
			}
		}
		this.allowedClients = allowedClients;
	}

	public Set<String> getAllowedPeerUsers() {
		return this.allowedPeerUsers;
	}

	public void setAllowedPeerUsers(Set<String> allowedPeerUsers) {
		this.allowedPeerUsers = allowedPeerUsers;
	}

	public Set<String> getAllowedPeerGroups() {
		return this.allowedPeerGroups;
	}

	public void setAllowedPeerGroups(Set<String> allowedPeerGroups) {
		this.allowedPeerGroups = allowedPeerGroups;
	}

	/**
	 * The allowed clients: as configured, else as {@code FCGI_WEB_SERVER_ADDRS} (passed in) lists.
	 */
	AllowedClients allowedClients(String webServerAddrs) {
		return (this.allowedClients != null) ? AllowedClients.parse(this.allowedClients)
				: AllowedClients.fromWebServerAddrs(webServerAddrs);
	}

	DecoderLimits decoderLimits() {
		return new DecoderLimits(this.maxParamsBytes, this.maxParamCount, this.maxParamNameLength,
				this.maxParamValueLength, DecoderLimits.DEFAULTS.maxControlContent());
	}

	private static Duration requirePositive(Duration value, String name) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("fastcgi." + name + " must be a positive duration, not " + value);
		}
		return value;
	}

	private static void requireAtLeastOne(int value, String name) {
		if (value < 1) {
			throw new IllegalArgumentException("fastcgi." + name + " must be at least 1, not " + value);
		}
	}

	public Stderr getStderr() {
		return this.stderr;
	}

	/**
	 * What goes to the STDERR stream of requests, which the web server writes to its error log.
	 */
	public static class Stderr {

		/**
		 * Log events of this level and above, logged on the thread serving a request, are copied
		 * to that request's STDERR (with Logback). OFF copies none.
		 */
		private LogLevel logLevel = LogLevel.OFF;

		public LogLevel getLogLevel() {
			return this.logLevel;
		}

		public void setLogLevel(LogLevel logLevel) {
			this.logLevel = logLevel;
		}

	}

}
