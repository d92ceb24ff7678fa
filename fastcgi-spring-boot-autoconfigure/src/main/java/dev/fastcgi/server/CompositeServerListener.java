package dev.fastcgi.server;

import java.time.Duration;
import java.util.List;

import dev.fastcgi.protocol.ProtocolError;
import dev.fastcgi.protocol.ProtocolStatus;

/**
 * Tells several listeners, in order.
 */
final class CompositeServerListener implements ServerListener {

	private final List<ServerListener> listeners;

	CompositeServerListener(List<ServerListener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public void serverStarted(FastCgiServer server) {
		this.listeners.forEach((listener) -> listener.serverStarted(server));
	}

	@Override
	public void serverStopped(FastCgiServer server) {
		this.listeners.forEach((listener) -> listener.serverStopped(server));
	}

	@Override
	public void connectionOpened() {
		this.listeners.forEach(ServerListener::connectionOpened);
	}

	@Override
	public void connectionClosed() {
		this.listeners.forEach(ServerListener::connectionClosed);
	}

	@Override
	public void clientRejected(ClientRejection rejection) {
		this.listeners.forEach((listener) -> listener.clientRejected(rejection));
	}

	@Override
	public void requestStarted() {
		this.listeners.forEach(ServerListener::requestStarted);
	}

	@Override
	public void requestFinished() {
		this.listeners.forEach(ServerListener::requestFinished);
	}

	@Override
	public void requestRejected(ProtocolStatus status) {
		this.listeners.forEach((listener) -> listener.requestRejected(status));
	}

	@Override
	public void requestAborted(AbortCause cause) {
		this.listeners.forEach((listener) -> listener.requestAborted(cause));
	}

	@Override
	public void requestBodyTooLarge() {
		this.listeners.forEach(ServerListener::requestBodyTooLarge);
	}

	@Override
	public void slowRequest(Duration duration) {
		this.listeners.forEach((listener) -> listener.slowRequest(duration));
	}

	@Override
	public void timedOut(ServerTimeout timeout) {
		this.listeners.forEach((listener) -> listener.timedOut(timeout));
	}

	@Override
	public void protocolError(ProtocolError error) {
		this.listeners.forEach((listener) -> listener.protocolError(error));
	}

}
