package dev.fastcgi.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.protocol.DecoderLimits;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Coverage-guided fuzzing (Jazzer) of a whole connection of a running server fed what a web
 * server, or anyone reaching the socket, can send: no input may leave the connection open nor
 * fail a thread of the server. Interesting inputs are kept in
 * {@code src/test/resources/dev/fastcgi/server/ConnectionFuzzTestsInputs} and replayed by every
 * build; the Surefire execution {@code fuzz} fuzzes for {@code maxDuration} with
 * {@code JAZZER_FUZZ=1}, each fuzz test class in a JVM of its own (Jazzer fuzzes one test a JVM).
 */
class ConnectionFuzzTests {

	private static final DecoderLimits SMALL = new DecoderLimits(4096, 64, 256, 1024, 256);

	private static final List<Throwable> serverThreadFailures = new CopyOnWriteArrayList<>();

	private static RunningServer running;

	private static Thread.UncaughtExceptionHandler previousHandler;

	@BeforeAll
	static void startServer() throws Exception {
		previousHandler = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> serverThreadFailures.add(ex));
		running = RunningServer.start(RunningServer.settings()
			.setLimits(SMALL)
			.setMaxBodySize(8192)
			.setParamsTimeout(Duration.ofSeconds(1))
			.setKeepAliveTimeout(Duration.ofSeconds(1))
			.setDrainTimeout(Duration.ofMillis(100)), RunningServer::echoBody);
	}

	@AfterAll
	static void stopServer() {
		running.close();
		Thread.setDefaultUncaughtExceptionHandler(previousHandler);
	}

	@FuzzTest(maxDuration = "20s")
	void aConnectionFedAnyBytesEndsAndLeavesTheServerWhole(byte[] input) throws Exception {
		int port = running.server().getPort();
		// Jazzer's SSRF detector reports every connection; this one, to the server under test, is the point
		try (AutoCloseable allowed = BugDetectors
			.allowNetworkConnections((host, candidate) -> candidate == port);
				RawConnection raw = running.raw()) {
			raw.write(input);
			raw.shutdownOutput();
			long deadline = System.nanoTime() + RunningServer.PATIENCE.toNanos();
			RawReply reply;
			do {
				reply = raw.read(Duration.ofMillis(10));
				if (System.nanoTime() > deadline) {
					fail("The server kept a connection open after its input ended");
				}
			}
			while (reply.ending() == RawReply.Ending.QUIET);
		}
		running.awaitConnectionsClosed(1);
		// a multiplexed request's handler, on a worker, may end just after its connection
		Awaitility.await()
			.atMost(RunningServer.PATIENCE)
			.untilAsserted(() -> assertThat(running.server().getActiveRequests()).isZero());
		assertThat(serverThreadFailures).isEmpty();
	}

}
