package dev.fastcgi.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.fastcgi.server.FastCgiServer;
import dev.fastcgi.server.ServerListener;

/**
 * The FastCGI listener's health: UP with where it listens and its counts while it listens, DOWN
 * before it starts and once it stops or shuts down.
 */
public class FastCgiHealthIndicator implements HealthIndicator, ServerListener {

	private volatile FastCgiServer server;

	@Override
	public void serverStarted(FastCgiServer server) {
		this.server = server;
	}

	@Override
	public Health health() {
		FastCgiServer current = this.server;
		if (current == null) {
			return Health.down().withDetail("listening", "not started").build();
		}
		Health.Builder builder = current.isListening() ? Health.up() : Health.down();
		return builder.withDetail("listening", current.isListening() ? current.getDescription() : "stopped")
			.withDetail("connections", current.getConnectionCount())
			.withDetail("idleConnections", current.getIdleConnectionCount())
			.withDetail("activeRequests", current.getActiveRequests())
			.build();
	}

}
