package dev.fastcgi.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server in a child JVM that inherits its listening socket as lighttpd's bin-path does, via
 * spawn-fcgi (fd 0) and systemd-socket-activate (LISTEN_FDS), answering cgi-fcgi.
 */
class InheritedSocketTest {

	private final List<Process> children = new ArrayList<>();

	@TempDir
	Path directory;

	@AfterEach
	void stopChildren() throws InterruptedException {
		for (Process child : this.children) {
			child.descendants().forEach(ProcessHandle::destroy);
			child.destroy();
			child.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void inheritsUnixSocketOnFdZero() throws Exception {
		Path socket = this.directory.resolve("fd0.sock");
		spawn("/usr/bin/spawn-fcgi", "-n", "-s", socket.toString(), "--", java(), "-cp", classpath(),
				EchoServerMain.class.getName(), "fd:0");
		awaitPath(socket);
		assertThat(CgiFcgi.post(socket.toString(), "inherited")).contains("body=inherited\n");
	}

	@Test
	void inheritsTcpSocketOnFdZero() throws Exception {
		int port = freePort();
		spawn("/usr/bin/spawn-fcgi", "-n", "-a", "127.0.0.1", "-p", Integer.toString(port), "--", java(), "-cp",
				classpath(), EchoServerMain.class.getName(), "fd:0");
		awaitPort(port);
		assertThat(CgiFcgi.post("127.0.0.1:" + port, "inherited")).contains("body=inherited\n");
	}

	@Test
	void takesSocketFromSystemdActivation() throws Exception {
		Path socket = this.directory.resolve("systemd.sock");
		spawn("/usr/bin/systemd-socket-activate", "-l", socket.toString(), java(), "-cp", classpath(),
				EchoServerMain.class.getName(), "systemd");
		awaitPath(socket);
		assertThat(CgiFcgi.post(socket.toString(), "inherited")).contains("body=inherited\n");
	}

	private void spawn(String... command) throws IOException {
		Path tool = Path.of(command[0]);
		if ("true".equals(System.getenv("CI"))) {
			assertThat(Files.isExecutable(tool)).as(tool + " must be installed in CI").isTrue();
		}
		assumeTrue(Files.isExecutable(tool), tool + " is not installed");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("child.log").toFile())
			.start();
		this.children.add(process);
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static String classpath() {
		return System.getProperty("java.class.path");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private void awaitPath(Path path) throws InterruptedException, IOException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!Files.exists(path)) {
			assertThat(System.nanoTime()).as("%s appears; child log: %s", path, childLog()).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private void awaitPort(int port) throws InterruptedException, IOException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException notYet) {
				assertThat(System.nanoTime()).as("port %d opens; child log: %s", port, childLog()).isLessThan(deadline);
				Thread.sleep(20);
			}
		}
	}

	private String childLog() throws IOException {
		Path log = this.directory.resolve("child.log");
		return Files.exists(log) ? Files.readString(log) : "";
	}

}
