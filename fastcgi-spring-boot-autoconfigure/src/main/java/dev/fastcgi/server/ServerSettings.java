package dev.fastcgi.server;

import java.time.Duration;
import java.util.EnumSet;
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

}
