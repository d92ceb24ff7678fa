package dev.fastcgi.server;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.Role;

/**
 * How a {@link FastCgiServer} listens and what it accepts. Mutable while the server is being
 * configured; read once when it starts.
 */
public final class ServerSettings {

	private ListenAddress address = new ListenAddress.Tcp("127.0.0.1", 9000);

	private int backlog = 1024;

	private Set<Role> roles = EnumSet.of(Role.RESPONDER);

	private boolean multiplexing = true;

	private int maxConnections = 1024;

	private int maxRequests = 1024;

	private DecoderLimits limits = DecoderLimits.DEFAULTS;

	private String socketPermissions;

	private String socketGroup;

	private Duration drainTimeout = Duration.ofSeconds(2);

	private OverloadResponse overloadResponse = OverloadResponse.PROTOCOL_STATUS;

	private int maxRequestsPerConnection = 16;

	private long maxBodySize = -1;

	private Duration paramsTimeout = Duration.ofSeconds(30);

	private Duration bodyIdleTimeout = Duration.ofSeconds(60);

	private Duration keepAliveTimeout = Duration.ofMinutes(5);

	private Duration requestTimeout;

	private Duration slowRequestThreshold;

	private AllowedClients allowedClients = AllowedClients.ANY;

	private Set<String> allowedPeerUsers = Set.of();

	private Set<String> allowedPeerGroups = Set.of();

	public ListenAddress getAddress() {
		return this.address;
	}

	public ServerSettings setAddress(ListenAddress address) {
		this.address = address;
		return this;
	}

	public int getBacklog() {
		return this.backlog;
	}

	public ServerSettings setBacklog(int backlog) {
		this.backlog = backlog;
		return this;
	}

	public Set<Role> getRoles() {
		return this.roles;
	}

	public ServerSettings setRoles(Set<Role> roles) {
		this.roles = EnumSet.copyOf(roles);
		return this;
	}

	public boolean isMultiplexing() {
		return this.multiplexing;
	}

	public ServerSettings setMultiplexing(boolean multiplexing) {
		this.multiplexing = multiplexing;
		return this;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public ServerSettings setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
		return this;
	}

	public int getMaxRequests() {
		return this.maxRequests;
	}

	public ServerSettings setMaxRequests(int maxRequests) {
		this.maxRequests = maxRequests;
		return this;
	}

	public DecoderLimits getLimits() {
		return this.limits;
	}

	public ServerSettings setLimits(DecoderLimits limits) {
		this.limits = limits;
		return this;
	}

	public String getSocketPermissions() {
		return this.socketPermissions;
	}

	/** POSIX permissions of a UNIX socket file the server creates, as {@code rw-rw----} or {@code 660}. */
	public ServerSettings setSocketPermissions(String socketPermissions) {
		this.socketPermissions = socketPermissions;
		return this;
	}

	public String getSocketGroup() {
		return this.socketGroup;
	}

	/** Group owning a UNIX socket file the server creates. */
	public ServerSettings setSocketGroup(String socketGroup) {
		this.socketGroup = socketGroup;
		return this;
	}

	public Duration getDrainTimeout() {
		return this.drainTimeout;
	}

	/** How long a closing connection waits for the web server to stop sending. */
	public ServerSettings setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
		return this;
	}

	public OverloadResponse getOverloadResponse() {
		return this.overloadResponse;
	}

	/** How a request beyond {@link #getMaxRequests()} or the per-connection limit is turned away. */
	public ServerSettings setOverloadResponse(OverloadResponse overloadResponse) {
		this.overloadResponse = overloadResponse;
		return this;
	}

	public int getMaxRequestsPerConnection() {
		return this.maxRequestsPerConnection;
	}

	/**
	 * Most requests in progress on one connection, counting those whose params are still
	 * arriving: a web server multiplexing half-sent requests cannot take every request slot.
	 */
	public ServerSettings setMaxRequestsPerConnection(int maxRequestsPerConnection) {
		this.maxRequestsPerConnection = maxRequestsPerConnection;
		return this;
	}

	public long getMaxBodySize() {
		return this.maxBodySize;
	}

	/** Most bytes of one request body (STDIN); negative for no limit. Larger bodies are answered 413. */
	public ServerSettings setMaxBodySize(long maxBodySize) {
		this.maxBodySize = maxBodySize;
		return this;
	}

	public Duration getParamsTimeout() {
		return this.paramsTimeout;
	}

	/** Time from BEGIN_REQUEST to the end of its params, after which the connection is closed. */
	public ServerSettings setParamsTimeout(Duration paramsTimeout) {
		this.paramsTimeout = paramsTimeout;
		return this;
	}

	public Duration getBodyIdleTimeout() {
		return this.bodyIdleTimeout;
	}

	/**
	 * How long a handler waiting for its request body waits for the web server to send anything,
	 * after which the connection is closed.
	 */
	public ServerSettings setBodyIdleTimeout(Duration bodyIdleTimeout) {
		this.bodyIdleTimeout = bodyIdleTimeout;
		return this;
	}

	public Duration getKeepAliveTimeout() {
		return this.keepAliveTimeout;
	}

	/** How long a connection with no request in progress stays open waiting for the next one. */
	public ServerSettings setKeepAliveTimeout(Duration keepAliveTimeout) {
		this.keepAliveTimeout = keepAliveTimeout;
		return this;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	/**
	 * How long a handler may run before its request is ended with a 503 (or, once the response
	 * has started, cut short with a nonzero app status); {@code null} for no limit.
	 */
	public ServerSettings setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
		return this;
	}

	public Duration getSlowRequestThreshold() {
		return this.slowRequestThreshold;
	}

	/** Requests whose handler runs longer are logged and reported as slow; {@code null} for none. */
	public ServerSettings setSlowRequestThreshold(Duration slowRequestThreshold) {
		this.slowRequestThreshold = slowRequestThreshold;
		return this;
	}

	public AllowedClients getAllowedClients() {
		return this.allowedClients;
	}

	/** The addresses TCP connections may come from; UNIX socket peers are not checked. */
	public ServerSettings setAllowedClients(AllowedClients allowedClients) {
		this.allowedClients = allowedClients;
		return this;
	}

	public Set<String> getAllowedPeerUsers() {
		return this.allowedPeerUsers;
	}

	/**
	 * Users (names, or numeric ids) a UNIX socket peer may run as; with
	 * {@link #setAllowedPeerGroups allowed groups}, a peer passes if either admits it. Empty for no
	 * check.
	 */
	public ServerSettings setAllowedPeerUsers(Set<String> allowedPeerUsers) {
		this.allowedPeerUsers = Set.copyOf(allowedPeerUsers);
		return this;
	}

	public Set<String> getAllowedPeerGroups() {
		return this.allowedPeerGroups;
	}

	/** Groups (names, or numeric ids) a UNIX socket peer may run as; empty for no check. */
	public ServerSettings setAllowedPeerGroups(Set<String> allowedPeerGroups) {
		this.allowedPeerGroups = Set.copyOf(allowedPeerGroups);
		return this;
	}

	/** The timeouts set, to pace the sweep that enforces them. */
	List<Duration> timeouts() {
		return java.util.stream.Stream
			.of(this.paramsTimeout, this.bodyIdleTimeout, this.keepAliveTimeout, this.requestTimeout)
			.filter(java.util.Objects::nonNull)
			.toList();
	}

}
