package dev.fastcgi.server;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Exchange;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.client.FastCgiClient.Response;
import dev.fastcgi.protocol.ProtocolStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.fail;

/**
 * Stopping: gracefully, letting requests under way finish, or at once, aborting them.
 */
@Timeout(60)
class ShutdownTests {

	@TempDir
	Path directory;

	private final CountDownLatch started = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	private RunningServer running;

	@AfterEach
	void stop() {
		this.release.countDown();
		this.running.close();
	}

	@Test
	void gracefulShutdownAnswersTheRequestInFlightRefusesNewConnectionsAndRemovesTheSocket() throws Exception {
		Path socket = this.directory.resolve("app.sock");
		this.running = RunningServer.start(new ServerSettings().setAddress(new ListenAddress.UnixSocket(socket)),
				(exchange) -> {
					this.started.countDown();
					RunningServer.await(this.release);
					RunningServer.respond(exchange, "finished");
				});
		try (FastCgiClient client = this.running.client(); WatchService watcher = socket.getFileSystem().newWatchService()) {
			this.directory.register(watcher, StandardWatchEventKinds.ENTRY_DELETE);
			Exchange inFlight = client.start(Request.get("/slow").keepConnection(true));
			RunningServer.await(this.started);
			CompletableFuture<Boolean> shutdown = CompletableFuture
				.supplyAsync(() -> this.running.server().shutdownGracefully(RunningServer.PATIENCE));
			awaitDeletion(watcher, socket);
			assertThatIOException().isThrownBy(() -> this.running.client().send(Request.get("/new")));
			this.release.countDown();
			Response response = inFlight.await();
			assertThat(response.bodyAsString()).isEqualTo("finished");
			assertThat(shutdown.get(RunningServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
				.as("every connection closed").isTrue();
			assertThat(this.running.server().getConnectionCount()).isZero();
		}
	}

	/**
	 * A request the web server sent on a connection that was open when the shutdown began is
	 * served, and the connection closed after it. Turned away, it would be lost: nginx tries the
	 * next server of an upstream when a connection fails, not when a request is answered
	 * {@code FCGI_OVERLOADED} (502).
	 */
	@Test
	void requestArrivingOnAnOpenConnectionDuringTheDrainIsServed() throws Exception {
		this.running = RunningServer.start((exchange) -> RunningServer.respond(exchange, "served"));
		try (RawConnection raw = this.running.raw()) {
			byte[] request = RawRecords.request(1, true, "", "REQUEST_METHOD", "GET");
			// half a record header: the connection is no longer idle, so the drain leaves it open
			raw.write(Arrays.copyOfRange(request, 0, 4));
			FastCgiServer server = this.running.server();
			Awaitility.await()
				.atMost(RunningServer.PATIENCE)
				.until(() -> server.getConnectionCount() == 1 && server.getIdleConnectionCount() == 0);
			CompletableFuture<Boolean> shutdown = CompletableFuture
				.supplyAsync(() -> server.shutdownGracefully(RunningServer.PATIENCE));
			Awaitility.await().atMost(RunningServer.PATIENCE).until(() -> !server.isListening());
			raw.write(Arrays.copyOfRange(request, 4, request.length));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).singleElement().satisfies((response) -> {
				assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
				assertThat(response.bodyAsString()).isEqualTo("served");
			});
			assertThat(reply.ending()).as("closed after the request, though it asked to keep it")
				.isEqualTo(RawReply.Ending.CLOSED);
			assertThat(shutdown.get(RunningServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		}
	}

	@Test
	void stopAbortsTheRequestInFlight() throws Exception {
		CountDownLatch abortCallbackRan = new CountDownLatch(1);
		AtomicBoolean sawAborted = new AtomicBoolean();
		CountDownLatch handlerReturned = new CountDownLatch(1);
		this.running = RunningServer.start((exchange) -> {
			exchange.onAbort(abortCallbackRan::countDown);
			this.started.countDown();
			RunningServer.await(abortCallbackRan);
			sawAborted.set(exchange.isAborted());
			handlerReturned.countDown();
		});
		try (FastCgiClient client = this.running.client()) {
			Exchange inFlight = client.start(Request.get("/slow"));
			RunningServer.await(this.started);
			this.running.server().stop();
			RunningServer.await(abortCallbackRan);
			assertThatIOException().as("no response after the connection was closed").isThrownBy(inFlight::await);
		}
		RunningServer.await(handlerReturned);
		assertThat(sawAborted).isTrue();
	}

	private static void awaitDeletion(WatchService watcher, Path file) throws InterruptedException {
		while (true) {
			WatchKey key = watcher.poll(RunningServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
			if (key == null) {
				fail("%s was not deleted", file);
			}
			for (WatchEvent<?> event : key.pollEvents()) {
				if (file.getFileName().equals(event.context())) {
					return;
				}
			}
			key.reset();
		}
	}

}
