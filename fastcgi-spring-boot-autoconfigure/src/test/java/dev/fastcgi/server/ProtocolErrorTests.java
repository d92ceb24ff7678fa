package dev.fastcgi.server;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Exchange;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.ProtocolError;
import dev.fastcgi.protocol.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
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
		byte[] shortBegin = RawRecords.begin(1, false);
		shortBegin[5] = 7;
		byte[] oversizedGetValues = RawRecords.getValues("FCGI_MAX_CONNS", "X".repeat(60));
		String[] tooManyParams = new String[2 * 101];
		for (int i = 0; i < 101; i++) {
			tooManyParams[2 * i] = "P" + i;
			tooManyParams[2 * i + 1] = "";
		}
		return Stream.of(Arguments.of(Named.of("version 2 header", versionTwo), ProtocolError.UNSUPPORTED_VERSION),
				Arguments.of(Named.of("HTTP instead of FastCGI", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()),
						ProtocolError.UNSUPPORTED_VERSION),
				Arguments.of(Named.of("params beyond the limit", oversizedParams), ProtocolError.PARAMS_TOO_LARGE),
				Arguments.of(Named.of("BEGIN_REQUEST of 7 bytes", RawRecords.concat(shortBegin, new byte[7])),
						ProtocolError.MALFORMED_RECORD),
				Arguments.of(Named.of("management record beyond the limit", oversizedGetValues),
						ProtocolError.CONTROL_RECORD_TOO_LARGE),
				Arguments.of(Named.of("param name one byte over the limit",
						RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "N".repeat(257), "v"))),
						ProtocolError.NAME_TOO_LONG),
				Arguments.of(Named.of("param value one byte over the limit",
						RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "N", "v".repeat(2049)))),
						ProtocolError.VALUE_TOO_LONG),
				Arguments.of(Named.of("one param over the count",
						RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, tooManyParams))),
						ProtocolError.TOO_MANY_PARAMS));
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

	@Test
	void aRecordCutShortByTheEndOfTheConnectionIsTruncated() throws Exception {
		this.running = RunningServer.start(RunningServer.settings(), (exchange) -> RunningServer.respond(exchange, ""));
		try (RawConnection raw = this.running.raw()) {
			byte[] params = RawRecords.params(1, "REQUEST_METHOD", "GET");
			raw.write(RawRecords.concat(RawRecords.begin(1, false), Arrays.copyOf(params, params.length - 3)));
			raw.shutdownOutput();
			RunningServer.readUntil(raw, (received) -> received.ending() != RawReply.Ending.QUIET);
		}
		this.running.awaitConnectionsClosed(1);
		assertThat(this.running.protocolErrors()).containsExactly(ProtocolError.TRUNCATED);
	}

	@Test
	void paramsAtEveryLimitAreServed() throws Exception {
		String[] hundredParams = new String[2 * 100];
		hundredParams[0] = "N".repeat(256);
		hundredParams[1] = "v".repeat(2048);
		for (int i = 1; i < 100; i++) {
			hundredParams[2 * i] = "P" + i;
			hundredParams[2 * i + 1] = "";
		}
		this.running = RunningServer.start(RunningServer.settings().setLimits(SMALL_PARAMS),
				(exchange) -> RunningServer.respond(exchange, Integer.toString(exchange.params().size())));
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, hundredParams),
					RawRecords.end(RecordType.PARAMS, 1), RawRecords.end(RecordType.STDIN, 1)));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).singleElement()
				.satisfies((response) -> assertThat(response.bodyAsString()).isEqualTo("100"));
		}
		assertThat(this.running.protocolErrors()).isEmpty();
	}

}
