package dev.fastcgi.server;

import java.nio.file.Path;

/**
 * Where the server listens, parsed from the {@code fastcgi.socket} syntax:
 * <ul>
 * <li>{@code fd:0}: the listening socket inherited on file descriptor 0, as lighttpd
 * {@code bin-path}, spawn-fcgi and systemd {@code StandardInput=socket} provide it;</li>
 * <li>{@code systemd}: socket activation through {@code LISTEN_FDS}/{@code LISTEN_PID};</li>
 * <li>{@code unix:/path} or an absolute path: a UNIX socket file the server creates;</li>
 * <li>{@code tcp:HOST:PORT}, {@code HOST:PORT}, {@code [::1]:PORT}: TCP, port 0 for any free
 * port.</li>
 * </ul>
 */
public sealed interface ListenAddress {

	/** The syntax accepted, for error messages. */
	String SYNTAX = "fd:0, systemd, unix:/absolute/path (or just /absolute/path), tcp:HOST:PORT, HOST:PORT or [IPv6]:PORT";

	/** The listening socket inherited on file descriptor 0. */
	record InheritedChannel() implements ListenAddress {

		@Override
		public String toString() {
			return "fd:0";
		}

	}

	/** The first socket passed by systemd socket activation (file descriptor 3). */
	record Systemd() implements ListenAddress {

		@Override
		public String toString() {
			return "systemd";
		}

	}

	record UnixSocket(Path path) implements ListenAddress {

		@Override
		public String toString() {
			return "unix:" + this.path;
		}

	}

	record Tcp(String host, int port) implements ListenAddress {

		@Override
		public String toString() {
			return "tcp:" + (this.host.contains(":") ? "[" + this.host + "]" : this.host) + ":" + this.port;
		}

	}

	/**
	 * Where to listen when nothing is configured: the inherited socket if file descriptor 0 is a
	 * listening socket (the application was started by a web server), otherwise
	 * {@code tcp:127.0.0.1:9000}.
	 */
	static ListenAddress defaultAddress() throws java.io.IOException {
		return (Listener.inheritedServerChannel() != null) ? new InheritedChannel() : new Tcp("127.0.0.1", 9000);
	}

	/**
	 * Parses the {@code fastcgi.socket} syntax.
	 * @throws IllegalArgumentException naming what is wrong and what would be valid
	 */
	static ListenAddress parse(String text) {
		String value = (text != null) ? text.strip() : "";
		if (value.isEmpty()) {
			throw invalid(text, "it is empty");
		}
		if (value.equals("fd:0")) {
			return new InheritedChannel();
		}
		if (value.startsWith("fd:")) {
			throw invalid(text, "only file descriptor 0 can be inherited as a listening socket; use 'systemd' for "
					+ "socket activation");
		}
		if (value.equals("systemd")) {
			return new Systemd();
		}
		if (value.startsWith("unix:") || value.startsWith("/")) {
			String pathText = value.startsWith("unix:") ? value.substring(5) : value;
			if (!pathText.startsWith("/")) {
				throw invalid(text, "a UNIX socket path must be absolute");
			}
			return new UnixSocket(Path.of(pathText));
		}
		return parseTcp(text, value.startsWith("tcp:") ? value.substring(4) : value);
	}

	private static Tcp parseTcp(String text, String hostAndPort) {
		String host;
		String portText;
		if (hostAndPort.startsWith("[")) {
			int close = hostAndPort.indexOf(']');
			if (close < 0 || close + 1 >= hostAndPort.length() || hostAndPort.charAt(close + 1) != ':') {
				throw invalid(text, "an IPv6 address must be written [ADDRESS]:PORT");
			}
			host = hostAndPort.substring(1, close);
			portText = hostAndPort.substring(close + 2);
		}
		else {
			int colon = hostAndPort.lastIndexOf(':');
			if (colon < 0) {
				throw invalid(text, "a TCP address needs a port, as HOST:PORT");
			}
			host = hostAndPort.substring(0, colon);
			portText = hostAndPort.substring(colon + 1);
			if (host.contains(":")) {
				throw invalid(text, "an IPv6 address must be written [ADDRESS]:PORT");
			}
		}
		if (host.isEmpty()) {
			throw invalid(text, "the host is missing");
		}
		int port;
		try {
			port = Integer.parseInt(portText);
		}
		catch (NumberFormatException ex) {
			throw invalid(text, "'" + portText + "' is not a port number");
		}
		if (port < 0 || port > 65535) {
			throw invalid(text, "port " + port + " is outside 0..65535");
		}
		return new Tcp(host, port);
	}

	private static IllegalArgumentException invalid(String text, String reason) {
		return new IllegalArgumentException(
				"'" + text + "' is not a valid FastCGI socket: " + reason + ". Valid forms: " + SYNTAX);
	}

}
