package dev.fastcgi.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Exchange;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.ProtocolError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection whose records break the protocol or a limit is closed, and only that one.
 */
@Timeout(60)
class ProtocolErrorTests {

	private static final DecoderLimits SMALL_PARAMS = new DecoderLimits(4096, 100, 256, 2048, 64);

	private final CountDownLatch wellFormedStarted = new CountDownLatch(1);

	private final CountDownLatch releaseWellFormed = new CountDownLatch(1);

	private RunningServer running;

	@AfterEach
	void stop() {
		this.releaseWellFormed.countDown();
		this.running.close();
	}

	static Stream<Arguments> malformedInput() {
		byte[] versionTwo = RawRecords.request(1, false, "");
		versionTwo[0] = 2;
		byte[] oversizedParams = RawRecords.concat(RawRecords.begin(1, false),
				RawRecords.params(1, "HTTP_COOKIE", "c".repeat(2000), "HTTP_X_MORE", "m".repeat(2000), "HTTP_X_EVEN_MORE",
						"e".repeat(2000)));
		return Stream.of(Arguments.of(Named.of("version 2 header", versionTwo), ProtocolError.UNSUPPORTED_VERSION),
				Arguments.of(Named.of("params beyond the limit", oversizedParams), ProtocolError.PARAMS_TOO_LARGE));
	}

	@ParameterizedTest
	@MethodSource("malformedInput")
	void malformedInputClosesOnlyItsOwnConnection(byte[] malformed, ProtocolError expected) throws Exception {
		this.running = RunningServer.start(
				RunningServer.settings().setLimits(SMALL_PARAMS).setDrainTimeout(Duration.ofMillis(200)),
				(exchange) -> {
					this.wellFormedStarted.countDown();
					RunningServer.await(this.releaseWellFormed);
					RunningServer.respond(exchange, "well-formed");
				});
		try (FastCgiClient client = this.running.client(); RawConnection raw = this.running.raw()) {
			Exchange wellFormed = client.start(Request.get("/at-the-same-time"));
			RunningServer.await(this.wellFormedStarted);
			raw.write(malformed);
			RawReply reply = RunningServer.readUntil(raw, (received) -> received.ending() != RawReply.Ending.QUIET);
			assertThat(reply.responses()).isEmpty();
			assertThat(this.running.protocolErrors()).containsExactly(expected);
			this.releaseWellFormed.countDown();
			assertThat(wellFormed.await().bodyAsString()).isEqualTo("well-formed");
		}
	}

}
