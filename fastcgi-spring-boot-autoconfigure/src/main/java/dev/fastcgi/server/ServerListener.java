package dev.fastcgi.server;

import java.time.Duration;
import java.util.List;

import dev.fastcgi.protocol.ProtocolError;
import dev.fastcgi.protocol.ProtocolStatus;

/**
 * Told of what happens on a {@link FastCgiServer}, for metrics, health and logs. Called on the
 * threads doing the work: implementations must be quick and thread-safe.
 */
public interface ServerListener {

	ServerListener NONE = new ServerListener() {
	};

	/** One listener telling all of them, in order. */
	static ServerListener of(List<? extends ServerListener> listeners) {
		return switch (listeners.size()) {
			case 0 -> NONE;
			case 1 -> listeners.get(0);
			default -> new CompositeServerListener(List.copyOf(listeners));
		};
	}

	/** The server listens; it can be asked for its counts until it stops. */
	default void serverStarted(FastCgiServer server) {
	}

	/** The server stopped listening and closed its connections. */
	default void serverStopped(FastCgiServer server) {
	}

	/** A connection was accepted and passed the access checks. */
	default void connectionOpened() {
	}

	default void connectionClosed() {
	}

	/** A connection was closed as soon as it was accepted. */
	default void clientRejected(ClientRejection rejection) {
	}

	default void requestStarted() {
	}

	default void requestFinished() {
	}

	/**
	 * A request refused at its start with this protocol status ({@code OVERLOADED} also when it
	 * was answered with a 503 page instead).
	 */
	default void requestRejected(ProtocolStatus status) {
	}

	/** A request in progress was aborted by the web server. */
	default void requestAborted(AbortCause cause) {
	}

	/** A request body was larger than allowed and the request answered 413. */
	default void requestBodyTooLarge() {
	}

	/** A handler ran longer than the slow request threshold. */
	default void slowRequest(Duration duration) {
	}

	/** A time limit ran out. */
	default void timedOut(ServerTimeout timeout) {
	}

	/** A connection was closed because its record stream broke the protocol or a limit. */
	default void protocolError(ProtocolError error) {
	}

}
