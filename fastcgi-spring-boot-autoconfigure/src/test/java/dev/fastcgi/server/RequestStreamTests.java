package dev.fastcgi.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Exchange;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.client.FastCgiClient.Response;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streams of a request: STDIN coming in, STDOUT and STDERR going out, and what a handler's
 * failure puts on them.
 */
@Timeout(60)
class RequestStreamTests {

	private static final String HEADER = "Status: 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n";

	private RunningServer running;

	@AfterEach
	void stop() {
		this.running.close();
	}

	@Test
	void handlerFailureIsReportedOnStderrWithAppStatusOneAndTheConnectionServesTheNextRequest() throws Exception {
		this.running = RunningServer.start((exchange) -> {
			if (exchange.params().get("REQUEST_URI").equals("/fail")) {
				throw new IllegalStateException("handler gave up");
			}
			RunningServer.respond(exchange, "fine");
		});
		try (FastCgiClient client = this.running.client()) {
			Response failed = client.send(Request.get("/fail").keepConnection(true));
			assertThat(failed.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
			assertThat(failed.appStatus()).isEqualTo(1);
			assertThat(failed.stderr()).contains("handler gave up");
			Response next = client.send(Request.get("/next").keepConnection(true));
			assertThat(next.appStatus()).isZero();
			assertThat(next.bodyAsString()).isEqualTo("fine");
			assertThat(client.connectionsOpened()).isEqualTo(1);
		}
	}

	@Test
	void largeOutputArrivesIntactInRecordsPaddedToEightBytes() throws Exception {
		byte[] body = randomBytes(6 * 1024 * 1024 + 13);
		this.running = RunningServer.start((exchange) -> {
			OutputStream out = exchange.stdout();
			out.write(HEADER.getBytes(StandardCharsets.US_ASCII));
			// single bytes, small writes that fill the buffer, and one write larger than a record
			int position = 0;
			for (; position < 1000; position++) {
				out.write(body[position]);
			}
			while (position < 1024 * 1024) {
				int length = Math.min(777, 1024 * 1024 - position);
				out.write(body, position, length);
				position += length;
			}
			out.write(body, position, body.length - position);
		});
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, false, ""));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(stdoutOfWellPaddedRecords(reply.bytes())).isEqualTo(
					concat(HEADER.getBytes(StandardCharsets.US_ASCII), body));
			assertThat(reply.responses()).singleElement()
				.satisfies((response) -> assertThat(response.body()).isEqualTo(body));
		}
	}

	@Test
	void flushSendsOutputBeforeTheHandlerReturns() throws Exception {
		CountDownLatch firstPartSeen = new CountDownLatch(1);
		this.running = RunningServer.start((exchange) -> {
			RunningServer.respond(exchange, "first part;");
			exchange.stdout().flush();
			RunningServer.await(firstPartSeen);
			exchange.stdout().write(" second part".getBytes(StandardCharsets.UTF_8));
		});
		try (FastCgiClient client = this.running.client()) {
			Exchange exchange = client.start(Request.get("/stream"));
			InputStream stdout = exchange.stdout();
			ByteArrayOutputStream seen = new ByteArrayOutputStream();
			while (!seen.toString(StandardCharsets.UTF_8).endsWith("first part;")) {
				int next = stdout.read();
				assertThat(next).as("STDOUT so far: %s", seen).isNotNegative();
				seen.write(next);
			}
			firstPartSeen.countDown();
			assertThat(exchange.await().bodyAsString()).isEqualTo(" second part");
		}
	}

	@Test
	void largeBodyWithoutContentLengthIsStreamedIntact() throws Exception {
		byte[] body = randomBytes(5 * 1024 * 1024 + 5);
		this.running = RunningServer.start((exchange) -> RunningServer.respond(exchange, "CONTENT_LENGTH="
				+ exchange.params().get("CONTENT_LENGTH") + " sha256=" + sha256(exchange.stdin().readAllBytes())));
		try (FastCgiClient client = this.running.client()) {
			Response response = client
				.send(Request.of("POST", "/upload").body(new ByteArrayInputStream(body)).removeParam("CONTENT_LENGTH"));
			assertThat(response.bodyAsString()).isEqualTo("CONTENT_LENGTH=null sha256=" + sha256(body));
		}
	}

	@Test
	void aBodyReadInPiecesOfEverySizeArrivesInOrder() throws Exception {
		byte[] body = randomBytes(3 * 1024 * 1024 + 7);
		this.running = RunningServer.start((exchange) -> {
			// reads smaller and larger than a record, single bytes between: content fills a waiting
			// read's array and queues the rest, which the next reads must take first
			InputStream stdin = exchange.stdin();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			int[] sizes = { 1, 100, 16 * 1024, 70_000, 3, 8192 };
			for (int round = 0;; round++) {
				if (round % 7 == 6) {
					int b = stdin.read();
					if (b < 0) {
						break;
					}
					received.write(b);
					continue;
				}
				byte[] target = new byte[sizes[round % sizes.length] + 2];
				int count = stdin.read(target, 1, target.length - 2);
				if (count < 0) {
					break;
				}
				received.write(target, 1, count);
			}
			RunningServer.respond(exchange, "sha256=" + sha256(received.toByteArray()));
		});
		try (FastCgiClient client = this.running.client()) {
			for (int request = 0; request < 2; request++) {
				Response response = client.send(Request.of("POST", "/upload").body(new ByteArrayInputStream(body)));
				assertThat(response.bodyAsString()).isEqualTo("sha256=" + sha256(body));
			}
		}
	}

	/**
	 * Whatever the handler did with its streams, a request ends with each stream it used ended
	 * once and END_REQUEST last (the usual end goes out framed in STDOUT's own buffer).
	 */
	@ParameterizedTest
	@EnumSource(StreamUse.class)
	void aRequestEndsWithItsStreamsEndedOnceThenEndRequest(StreamUse use) throws Exception {
		this.running = RunningServer.start((exchange) -> {
			if (use != StreamUse.NOTHING_WRITTEN) {
				RunningServer.respond(exchange, "body");
			}
			if (use == StreamUse.STDERR_TOO) {
				exchange.stderr().write("a warning".getBytes(StandardCharsets.UTF_8));
			}
			if (use == StreamUse.STDOUT_CLOSED_BY_THE_HANDLER) {
				exchange.stdout().close();
			}
			exchange.setAppStatus(7);
		});
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, false, ""));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.error()).isNull();
			List<String> expected = switch (use) {
				case NOTHING_WRITTEN -> List.of("STDOUT end", "END_REQUEST");
				case STDERR_TOO -> List.of("STDOUT", "STDOUT end", "STDERR", "STDERR end", "END_REQUEST");
				default -> List.of("STDOUT", "STDOUT end", "END_REQUEST");
			};
			assertThat(recordsOf(reply.bytes())).isEqualTo(expected);
			assertThat(reply.responses()).singleElement().satisfies((response) -> {
				assertThat(response.appStatus()).isEqualTo(7);
				assertThat(response.requestId()).isEqualTo(1);
			});
		}
	}

	enum StreamUse {

		BODY_WRITTEN, NOTHING_WRITTEN, STDERR_TOO, STDOUT_CLOSED_BY_THE_HANDLER

	}

	/** The records' types in order, an empty one of a stream as its end. */
	private static List<String> recordsOf(byte[] bytes) {
		List<String> records = new ArrayList<>();
		int position = 0;
		while (position < bytes.length) {
			RecordType type = RecordType.fromCode(bytes[position + 1]);
			int contentLength = ((bytes[position + 4] & 0xFF) << 8) | (bytes[position + 5] & 0xFF);
			records.add((contentLength == 0) ? type + " end" : type.toString());
			position += 8 + contentLength + (bytes[position + 6] & 0xFF);
		}
		return records;
	}

	/**
	 * Walks the records, checking that each is padded to a multiple of 8 bytes with zeros (the
	 * buffers records are framed in are reused, and hold earlier content where padding goes),
	 * and returns the STDOUT content.
	 */
	private static byte[] stdoutOfWellPaddedRecords(byte[] bytes) {
		ByteArrayOutputStream stdout = new ByteArrayOutputStream();
		int position = 0;
		while (position < bytes.length) {
			int type = bytes[position + 1];
			int contentLength = ((bytes[position + 4] & 0xFF) << 8) | (bytes[position + 5] & 0xFF);
			int paddingLength = bytes[position + 6] & 0xFF;
			assertThat(bytes[position]).as("version").isEqualTo((byte) 1);
			assertThat((contentLength + paddingLength) % 8).as("content and padding of a record").isZero();
			assertThat(paddingLength).as("padding").isLessThan(8);
			for (int padding = 0; padding < paddingLength; padding++) {
				assertThat(bytes[position + 8 + contentLength + padding]).as("padding byte").isZero();
			}
			if (type == RecordType.STDOUT.code()) {
				stdout.write(bytes, position + 8, contentLength);
			}
			position += 8 + contentLength + paddingLength;
		}
		assertThat(position).isEqualTo(bytes.length);
		return stdout.toByteArray();
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
