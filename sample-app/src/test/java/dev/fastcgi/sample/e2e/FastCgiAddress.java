package dev.fastcgi.sample.e2e;

import java.nio.file.Path;

/** Where a FastCGI application listens, as a web server's config and the application see it. */
public sealed interface FastCgiAddress {

	static FastCgiAddress unix(Path socket) {
		return new Unix(socket.toAbsolutePath());
	}

	static FastCgiAddress loopback(int port) {
		return new Tcp("127.0.0.1", port);
	}

	/** The value of the application's {@code fastcgi.socket} property. */
	String socketProperty();

	record Unix(Path socket) implements FastCgiAddress {

		@Override
		public String socketProperty() {
			return "unix:" + this.socket;
		}

	}

	record Tcp(String host, int port) implements FastCgiAddress {

		@Override
		public String socketProperty() {
			return "tcp:" + this.host + ":" + this.port;
		}

	}

}
