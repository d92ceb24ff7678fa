package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1. */
public final class LoopbackPorts {

	private LoopbackPorts() {
	}

	/**
	 * A port nothing listens on at the moment of the call. Another process may take it before
	 * the caller binds it; {@link WebServerProcess} retries when that happens.
	 */
	public static int free() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
