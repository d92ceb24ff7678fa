package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sample application in a JVM of its own, started like a user would start it: {@code java
 * -cp ... dev.fastcgi.sample.SampleApplication --fastcgi.socket=...}, with this JVM's class path
 * (main and test classes, so a test must not put {@code @Configuration} classes under
 * {@code dev.fastcgi.sample}, where the application's component scan would pick them up).
 * Output goes to {@link #log()}; closing sends SIGTERM, as a service manager would, and kills
 * the JVM only when it does not stop in time.
 */
public final class SampleAppProcess implements AutoCloseable {

	static final String MAIN_CLASS = "dev.fastcgi.sample.SampleApplication";

	/** Printed by Spring Boot once the context is refreshed and the web server started. */
	private static final String STARTED_LINE = "Started SampleApplication in ";

	/** A cold JVM on a 2-core CI machine busy with a web server and the tests. */
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	/** Longer than Boot's default graceful shutdown phase (30 s), so a slow drain is not killed. */
	private static final Duration STOP_GRACE = Duration.ofSeconds(40);

	private final ScratchDirectory directory;

	private final Process process;

	private final FastCgiAddress address;

	private SampleAppProcess(ScratchDirectory directory, Process process, FastCgiAddress address) {
		this.directory = directory;
		this.process = process;
		this.address = address;
	}

	/**
	 * Starts the application listening on a UNIX socket in its own scratch directory, with
	 * {@code --fastcgi.socket-permissions=666}: nginx workers and Apache children run as
	 * {@code nobody} when the tests run as root, and must be able to connect.
	 */
	public static SampleAppProcess startOnUnixSocket(String... args) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--fastcgi.socket-permissions=666");
		arguments.addAll(Arrays.asList(args));
		return startOnUnixSocketWithPermissionsFromArgs(arguments.toArray(String[]::new));
	}

	/**
	 * Starts the application listening on a UNIX socket in its own scratch directory, with the
	 * socket's permissions left to {@code args} ({@code fastcgi.socket-permissions},
	 * {@code fastcgi.socket-group}) or, without them, to the process umask.
	 */
	public static SampleAppProcess startOnUnixSocketWithPermissionsFromArgs(String... args) {
		ScratchDirectory directory = ScratchDirectory.create("e2e-app");
		return start(directory, FastCgiAddress.unix(directory.resolve("app.sock")), args);
	}

	/** Starts the application listening on a free port of 127.0.0.1. */
	public static SampleAppProcess startOnLoopbackPort(String... args) {
		return start(ScratchDirectory.create("e2e-app"), FastCgiAddress.loopback(LoopbackPorts.free()), args);
	}

	/**
	 * Starts the application with exactly these arguments and waits for it to report that it
	 * started; {@link #address()} is then unknown.
	 */
	public static SampleAppProcess start(String... args) {
		return start(ScratchDirectory.create("e2e-app"), null, args);
	}

	private static SampleAppProcess start(ScratchDirectory directory, FastCgiAddress address, String... args) {
		List<String> arguments = new ArrayList<>();
		if (address != null) {
			arguments.add("--fastcgi.socket=" + address.socketProperty());
		}
		arguments.addAll(Arrays.asList(args));
		SampleAppProcess app;
		try {
			Process process = new ProcessBuilder(javaCommand(arguments)).redirectErrorStream(true)
				.redirectOutput(directory.resolve("app.log").toFile())
				.start();
			app = new SampleAppProcess(directory, process, address);
		}
		catch (IOException ex) {
			directory.close();
			throw new UncheckedIOException(ex);
		}
		try {
			app.awaitStarted();
			return app;
		}
		catch (RuntimeException ex) {
			app.close();
			throw ex;
		}
	}

	/** The command that runs the application with these arguments on this JVM's class path. */
	static List<String> javaCommand(List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(MAIN_CLASS);
		command.addAll(args);
		return command;
	}

	private void awaitStarted() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (!log().contains(STARTED_LINE)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"The application exited with status " + this.process.exitValue() + " before it started\n" + log());
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"The application did not start within " + STARTUP_TIMEOUT.toSeconds() + " s\n" + log());
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the application to start", ex);
			}
		}
		if (this.address != null && !acceptsConnections(this.address)) {
			throw new IllegalStateException("The application started but does not listen on "
					+ this.address.socketProperty() + "\n" + log());
		}
	}

	/**
	 * Whether a connection can be opened. The connection is closed without a record sent, which
	 * a FastCGI server must take in its stride like any client going away.
	 */
	private static boolean acceptsConnections(FastCgiAddress address) {
		SocketAddress socketAddress = (address instanceof FastCgiAddress.Unix unix)
				? UnixDomainSocketAddress.of(unix.socket())
				: new InetSocketAddress(((FastCgiAddress.Tcp) address).host(), ((FastCgiAddress.Tcp) address).port());
		StandardProtocolFamily family = (address instanceof FastCgiAddress.Unix) ? StandardProtocolFamily.UNIX
				: StandardProtocolFamily.INET;
		try (SocketChannel channel = SocketChannel.open(family)) {
			return channel.connect(socketAddress);
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Where the application listens; only for {@link #startOnUnixSocket} and {@link #startOnLoopbackPort}. */
	public FastCgiAddress address() {
		if (this.address == null) {
			throw new IllegalStateException("Started with explicit arguments, the address is not known");
		}
		return this.address;
	}

	/** The application's scratch directory, which holds {@code app.log} and {@code app.sock}. */
	public Path directory() {
		return this.directory.path();
	}

	/** Everything the application printed so far. */
	public String log() {
		return this.directory.read("app.log");
	}

	public ProcessHandle processHandle() {
		return this.process.toHandle();
	}

	/**
	 * Sends SIGTERM and waits for the JVM to exit, killing it if it takes too long.
	 * @return the exit status: 143 (128 + SIGTERM) after a normal shutdown
	 */
	public int stop() {
		ProcessTree.stop(this.process, STOP_GRACE);
		return this.process.exitValue();
	}

	@Override
	public void close() {
		try {
			stop();
		}
		finally {
			this.directory.close();
		}
	}

}
