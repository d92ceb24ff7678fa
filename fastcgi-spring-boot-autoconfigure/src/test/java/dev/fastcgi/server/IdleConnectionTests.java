package dev.fastcgi.server;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.client.FastCgiClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On platform threads a kept connection between requests holds no thread: it waits with the
 * other idle ones in one selector, and its next request runs on a pool thread.
 */
@Timeout(60)
class IdleConnectionTests {

	@TempDir
	Path directory;

	private RunningServer running;

	private final List<FastCgiClient> clients = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (FastCgiClient client : this.clients) {
			client.close();
		}
		this.running.close();
	}

	@Test
	void keptConnectionsBetweenRequestsHoldNoThread() throws Exception {
		this.running = RunningServer.start(RunningServer::echoBody);
		for (int i = 0; i < 40; i++) {
			assertThat(sendKept(client(), "request " + i)).isEqualTo("request " + i);
		}
		assertThat(this.running.server().getConnectionCount()).isEqualTo(40);
		await().atMost(RunningServer.PATIENCE).until(() -> this.running.busyThreads() == 0);
		for (int i = 0; i < 40; i++) {
			assertThat(sendKept(this.clients.get(i), "again " + i)).isEqualTo("again " + i);
		}
		assertThat(this.clients).allSatisfy((client) -> assertThat(client.connectionsOpened()).isOne());
	}

	/**
	 * The web server closing a kept connection between requests: the selector reads the end as it
	 * resumes the parked connection, and the connection ends here too.
	 */
	@Test
	void aKeptConnectionTheWebServerClosesWhileParkedEnds() throws Exception {
		this.running = RunningServer.start(RunningServer::echoBody);
		FastCgiClient client = client();
		for (int i = 0; i < 3; i++) {
			assertThat(sendKept(client, "request " + i)).isEqualTo("request " + i);
		}
		await().atMost(RunningServer.PATIENCE).until(() -> this.running.busyThreads() == 0);
		assertThat(this.running.server().getConnectionCount()).isOne();
		client.close();
		await().atMost(RunningServer.PATIENCE).until(() -> this.running.server().getConnectionCount() == 0);
	}

	@Test
	void moreKeptConnectionsThanThreadsAreAllServed() throws Exception {
		this.running = RunningServer.start(RunningServer.settings(), RunningServer::echoBody, 2);
		for (int i = 0; i < 20; i++) {
			client();
		}
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < 20; i++) {
				String body = "round " + round + " connection " + i;
				assertThat(sendKept(this.clients.get(i), body)).isEqualTo(body);
			}
		}
		assertThat(this.clients).allSatisfy((client) -> assertThat(client.connectionsOpened()).isOne());
	}

	/**
	 * Bodies and responses larger than the socket buffers, over a UNIX socket: reads and writes
	 * that find the non-blocking channel empty or full wait for it, and lose nothing.
	 */
	@Test
	void bodiesAndResponsesLargerThanTheSocketBuffersArriveIntactOverAUnixSocket() throws Exception {
		this.running = RunningServer.start(
				new ServerSettings().setAddress(new ListenAddress.UnixSocket(this.directory.resolve("app.sock"))),
				(exchange) -> {
					byte[] body = exchange.stdin().readAllBytes();
					exchange.stdout().write("Content-Type: application/octet-stream\r\n\r\n".getBytes());
					exchange.stdout().write(body);
				});
		FastCgiClient client = client();
		Random random = new Random(42);
		for (int i = 0; i < 5; i++) {
			byte[] body = new byte[1024 * 1024 + random.nextInt(4 * 1024 * 1024)];
			random.nextBytes(body);
			Response response = client.send(Request.post("/echo", "application/octet-stream", body).keepConnection(true));
			assertThat(sha256(response.body())).isEqualTo(sha256(body));
		}
		assertThat(client.connectionsOpened()).isOne();
	}

	private FastCgiClient client() {
		FastCgiClient client = this.running.client();
		this.clients.add(client);
		return client;
	}

	private static String sendKept(FastCgiClient client, String body) throws Exception {
		return client.send(Request.post("/echo", "text/plain", body.getBytes()).keepConnection(true)).bodyAsString();
	}

	private static byte[] sha256(byte[] bytes) throws Exception {
		return MessageDigest.getInstance("SHA-256").digest(bytes);
	}

}
