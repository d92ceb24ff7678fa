package dev.fastcgi.server;

import dev.fastcgi.protocol.ProtocolError;
import dev.fastcgi.protocol.ProtocolStatus;

/**
 * Told of what happens on a {@link FastCgiServer}, for metrics and logs. Called on the threads
 * doing the work: implementations must be quick and thread-safe.
 */
public interface ServerListener {

	ServerListener NONE = new ServerListener() {
	};

	default void connectionOpened() {
	}

	default void connectionClosed() {
	}

	default void requestStarted() {
	}

	default void requestFinished() {
	}

	/** A request refused at its start with this protocol status. */
	default void requestRejected(ProtocolStatus status) {
	}

	/** The web server sent {@code FCGI_ABORT_REQUEST}. */
	default void requestAborted() {
	}

	/** A connection was closed because its record stream broke the protocol or a limit. */
	default void protocolError(ProtocolError error) {
	}

}
