package dev.fastcgi.server;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * A UNIX socket file the server creates: its permissions, its removal, and what the server does
 * when something is already at the path.
 */
@Timeout(60)
class UnixSocketListenerTests {

	@TempDir
	Path directory;

	private RunningServer running;

	@AfterEach
	void stop() {
		if (this.running != null) {
			this.running.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "660, rw-rw----", "rw-------, rw-------", "0666, rw-rw-rw-" })
	void socketFileGetsThePermissionsAskedForAndIsRemovedOnStop(String asked, String expected) throws Exception {
		Path socket = this.directory.resolve("app.sock");
		this.running = start(socket, asked);
		assertThat(isSocket(socket)).isTrue();
		assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString(expected));
		assertServes(this.running);
		this.running.server().stop();
		assertThat(socket).doesNotExist();
	}

	@Test
	void staleSocketFileIsReplaced() throws Exception {
		Path socket = this.directory.resolve("stale.sock");
		try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			dead.bind(UnixDomainSocketAddress.of(socket));
		}
		assertThat(isSocket(socket)).as("a socket file nobody listens on").isTrue();
		this.running = start(socket, null);
		assertServes(this.running);
	}

	@Test
	void socketFileAnotherServerListensOnIsRefused() throws Exception {
		Path socket = this.directory.resolve("live.sock");
		this.running = start(socket, null);
		assertThatIOException().isThrownBy(() -> start(socket, null)).withMessageContaining(socket.toString());
		assertThat(isSocket(socket)).isTrue();
		assertServes(this.running);
	}

	@Test
	void regularFileAtTheSocketPathIsRefused() throws Exception {
		Path notASocket = this.directory.resolve("data.txt");
		Files.writeString(notASocket, "keep me");
		assertThatIOException().isThrownBy(() -> start(notASocket, null))
			.withMessageContaining(notASocket.toString());
		assertThat(notASocket).hasContent("keep me");
	}

	private static RunningServer start(Path socket, String permissions) throws Exception {
		return RunningServer.start(
				new ServerSettings().setAddress(new ListenAddress.UnixSocket(socket)).setSocketPermissions(permissions),
				(exchange) -> RunningServer.respond(exchange, "over unix"));
	}

	private static void assertServes(RunningServer running) throws Exception {
		try (FastCgiClient client = running.client()) {
			assertThat(client.send(Request.get("/")).bodyAsString()).isEqualTo("over unix");
		}
	}

	private static boolean isSocket(Path path) throws Exception {
		return Files.exists(path, LinkOption.NOFOLLOW_LINKS)
				&& (((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000) == 0140000;
	}

}
