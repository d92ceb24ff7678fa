package dev.fastcgi.boot;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.fastcgi.protocol.ProtocolError;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.server.AbortCause;
import dev.fastcgi.server.ClientRejection;
import dev.fastcgi.server.FastCgiServer;
import dev.fastcgi.server.ServerListener;
import dev.fastcgi.server.ServerTimeout;

/**
 * Micrometer meters for the FastCGI server, after php-fpm's status page. Every tagged counter
 * exists from the start, so a dashboard shows zero rather than no data.
 */
public class FastCgiMetrics implements ServerListener {

	private final Counter accepted;

	private final Map<ClientRejection, Counter> clientsRejected;

	private final Map<ProtocolStatus, Counter> rejected;

	private final Map<AbortCause, Counter> aborted;

	private final Counter oversized;

	private final Counter slow;

	private final Map<ServerTimeout, Counter> timeouts;

	private final Map<ProtocolError, Counter> protocolErrors;

	private volatile FastCgiServer server;

	public FastCgiMetrics(MeterRegistry registry) {
		this.accepted = Counter.builder("fastcgi.connections.accepted")
			.description("Connections accepted from the web server")
			.register(registry);
		gauge(registry, "fastcgi.connections.active", "Connections open", FastCgiServer::getConnectionCount);
		gauge(registry, "fastcgi.connections.idle", "Connections open with no request in progress",
				FastCgiServer::getIdleConnectionCount);
		gauge(registry, "fastcgi.requests.active", "Requests in progress", FastCgiServer::getActiveRequests);
		this.clientsRejected = counters(registry, ClientRejection.class, "fastcgi.clients.rejected",
				"Connections closed when accepted, by access control", "reason");
		this.rejected = counters(registry, ProtocolStatus.class, "fastcgi.requests.rejected",
				"Requests turned away at their start, by protocol status", "status");
		this.rejected.remove(ProtocolStatus.REQUEST_COMPLETE);
		this.aborted = counters(registry, AbortCause.class, "fastcgi.requests.aborted",
				"Requests in progress the web server gave up on", "cause");
		this.oversized = Counter.builder("fastcgi.requests.oversized")
			.description("Requests answered 413 for a body over fastcgi.max-body-size")
			.register(registry);
		this.slow = Counter.builder("fastcgi.requests.slow")
			.description("Requests running longer than fastcgi.slow-request-threshold")
			.register(registry);
		this.timeouts = counters(registry, ServerTimeout.class, "fastcgi.timeouts", "Time limits that ran out",
				"timeout");
		this.protocolErrors = counters(registry, ProtocolError.class, "fastcgi.protocol.errors",
				"Connections closed for breaking the protocol or a limit", "error");
	}

	private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<FastCgiServer> value) {
		Gauge.builder(name, this, (metrics) -> {
			FastCgiServer current = metrics.server;
			return (current != null) ? value.applyAsDouble(current) : 0;
		}).description(description).register(registry);
	}

	private static <E extends Enum<E>> Map<E, Counter> counters(MeterRegistry registry, Class<E> type, String name,
			String description, String tag) {
		Map<E, Counter> counters = new EnumMap<>(type);
		for (E value : type.getEnumConstants()) {
			counters.put(value, Counter.builder(name)
				.description(description)
				.tag(tag, value.name().toLowerCase().replace('_', '-'))
				.register(registry));
		}
		return counters;
	}

	@Override
	public void serverStarted(FastCgiServer server) {
		this.server = server;
	}

	@Override
	public void connectionOpened() {
		this.accepted.increment();
	}

	@Override
	public void clientRejected(ClientRejection rejection) {
		this.clientsRejected.get(rejection).increment();
	}

	@Override
	public void requestRejected(ProtocolStatus status) {
		Counter counter = this.rejected.get(status);
		if (counter != null) {
			counter.increment();
		}
	}

	@Override
	public void requestAborted(AbortCause cause) {
		this.aborted.get(cause).increment();
	}

	@Override
	public void requestBodyTooLarge() {
		this.oversized.increment();
	}

	@Override
	public void slowRequest(Duration duration) {
		this.slow.increment();
	}

	@Override
	public void timedOut(ServerTimeout timeout) {
		this.timeouts.get(timeout).increment();
	}

	@Override
	public void protocolError(ProtocolError error) {
		this.protocolErrors.get(error).increment();
	}

}
