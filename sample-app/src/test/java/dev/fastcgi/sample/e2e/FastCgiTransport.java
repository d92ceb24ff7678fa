package dev.fastcgi.sample.e2e;

import java.nio.file.Path;

/** UNIX socket or TCP between web server and application, for tests that run over both. */
public enum FastCgiTransport {

	UNIX {

		@Override
		public SampleAppProcess startApplication(String... args) {
			return SampleAppProcess.startOnUnixSocket(args);
		}

		@Override
		public FastCgiAddress addressIn(Path directory) {
			return FastCgiAddress.unix(directory.resolve("app.sock"));
		}

	},

	TCP {

		@Override
		public SampleAppProcess startApplication(String... args) {
			return SampleAppProcess.startOnLoopbackPort(args);
		}

		@Override
		public FastCgiAddress addressIn(Path directory) {
			return FastCgiAddress.loopback(LoopbackPorts.free());
		}

	};

	/** Starts the sample application listening on this transport; see {@link SampleAppProcess}. */
	public abstract SampleAppProcess startApplication(String... args);

	/**
	 * An address for a program that creates the listening socket itself (lighttpd
	 * {@code bin-path}, spawn-fcgi): a socket file in {@code directory}, or a free port.
	 */
	public abstract FastCgiAddress addressIn(Path directory);

}
