package dev.fastcgi.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.NameValueDecoder;
import dev.fastcgi.protocol.ProtocolException;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordListener;
import dev.fastcgi.protocol.RecordType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Coverage-guided fuzzing (Jazzer) of what a web server, or anyone reaching the socket, can send:
 * the decoders on their own, and a whole connection of a running server. No input may throw
 * anything but a {@link ProtocolException} out of the decoders, nor leave the server's
 * connection open, nor fail a thread of the server. The inputs found interesting are kept in
 * {@code src/test/resources/dev/fastcgi/server/RecordStreamFuzzTestsInputs} and replayed by
 * every build; with {@code JAZZER_FUZZ=1} (set for Surefire) each test also fuzzes for its
 * {@code maxDuration}.
 */
class RecordStreamFuzzTests {

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

	@FuzzTest(maxDuration = "15s")
	void decodersFailOnlyWithProtocolExceptions(byte[] input) {
		NameValueDecoder params = new NameValueDecoder(SMALL);
		RecordDecoder decoder = new RecordDecoder(SMALL, new RecordListener() {

			@Override
			public void onStreamContent(RecordType type, int requestId, ByteBuffer content) throws ProtocolException {
				if (type == RecordType.PARAMS) {
					params.decode(content, (name, value) -> {
					});
				}
			}

			@Override
			public void onStreamEnd(RecordType type, int requestId) throws ProtocolException {
				if (type == RecordType.PARAMS) {
					params.finish();
				}
			}

		});
		try {
			// split in two reads, as the network may
			int split = input.length / 3;
			decoder.decode(ByteBuffer.wrap(input, 0, split));
			decoder.decode(ByteBuffer.wrap(input, split, input.length - split));
			decoder.endOfInput();
		}
		catch (ProtocolException expected) {
			// a broken stream is reported as such
		}
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
