package dev.fastcgi.server;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.ManagementRecord;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.NameValueDecoder;
import dev.fastcgi.protocol.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Records with request id 0: {@code FCGI_GET_VALUES} answered truthfully whenever it comes, any
 * other type answered with {@code FCGI_UNKNOWN_TYPE}.
 */
@Timeout(60)
class ManagementRecordTests {

	private static final String[] ALL_NAMES = { "FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS" };

	private RunningServer running;

	@AfterEach
	void stop() {
		this.running.close();
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void getValuesBeforeAnyRequestReflectsTheSettings(boolean multiplexing) throws Exception {
		this.running = RunningServer.start(
				RunningServer.settings().setMaxConnections(7).setMaxRequests(5).setMultiplexing(multiplexing),
				RunningServer::echoBody);
		try (FastCgiClient client = this.running.client()) {
			assertThat(client.getValues(ALL_NAMES)).containsExactly(entry("FCGI_MAX_CONNS", "7"),
					entry("FCGI_MAX_REQS", "5"), entry("FCGI_MPXS_CONNS", multiplexing ? "1" : "0"));
		}
	}

	@Test
	void getValuesAnswersOnlyTheKnownNamesAskedFor() throws Exception {
		this.running = RunningServer.start(RunningServer::echoBody);
		try (FastCgiClient client = this.running.client()) {
			assertThat(client.getValues("NO_SUCH_VARIABLE", "FCGI_MPXS_CONNS"))
				.containsExactly(entry("FCGI_MPXS_CONNS", "1"));
		}
	}

	@Test
	void getValuesBetweenRequestsOnAKeptConnection() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setMaxRequests(3), RunningServer::echoBody);
		try (FastCgiClient client = this.running.client()) {
			assertThat(client.send(Request.post("/", "text/plain", "one".getBytes()).keepConnection(true))
				.bodyAsString()).isEqualTo("one");
			assertThat(client.getValues("FCGI_MAX_REQS")).containsExactly(entry("FCGI_MAX_REQS", "3"));
			assertThat(client.send(Request.post("/", "text/plain", "two".getBytes()).keepConnection(true))
				.bodyAsString()).isEqualTo("two");
			assertThat(client.connectionsOpened()).isEqualTo(1);
		}
	}

	@Test
	void getValuesInTheMiddleOfARequestsParams() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setMaxConnections(9), RunningServer::echoBody);
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "REQUEST_METHOD", "POST"),
					RawRecords.getValues("FCGI_MAX_CONNS")));
			RawReply answered = RunningServer.readUntil(raw, (reply) -> !reply.managementRecords().isEmpty());
			assertThat(answered.responses()).isEmpty();
			assertThat(valuesIn(answered.managementRecords().get(0))).containsExactly(entry("FCGI_MAX_CONNS", "9"));
			raw.write(RawRecords.concat(RawRecords.params(1, "CONTENT_LENGTH", "4"), RawRecords.end(RecordType.PARAMS, 1),
					RawRecords.stdin(1, "body"), RawRecords.end(RecordType.STDIN, 1)));
			assertThat(RunningServer.readToEnd(raw).responses()).singleElement()
				.satisfies((response) -> assertThat(response.bodyAsString()).isEqualTo("body"));
		}
	}

	@Test
	void getValuesWhileTheHandlerWaitsForTheRestOfItsBody() throws Exception {
		CountDownLatch firstPartRead = new CountDownLatch(1);
		this.running = RunningServer.start((exchange) -> {
			byte[] first = exchange.stdin().readNBytes(5);
			firstPartRead.countDown();
			RunningServer.respond(exchange, new String(first) + new String(exchange.stdin().readAllBytes()));
		});
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "REQUEST_METHOD", "POST"),
					RawRecords.end(RecordType.PARAMS, 1), RawRecords.stdin(1, "first")));
			RunningServer.await(firstPartRead);
			raw.write(RawRecords.getValues("FCGI_MPXS_CONNS"));
			RawReply answered = RunningServer.readUntil(raw, (reply) -> !reply.managementRecords().isEmpty());
			assertThat(answered.responses()).isEmpty();
			assertThat(valuesIn(answered.managementRecords().get(0))).containsExactly(entry("FCGI_MPXS_CONNS", "1"));
			raw.write(RawRecords.concat(RawRecords.stdin(1, " second"), RawRecords.end(RecordType.STDIN, 1)));
			assertThat(RunningServer.readToEnd(raw).responses()).singleElement()
				.satisfies((response) -> assertThat(response.bodyAsString()).isEqualTo("first second"));
		}
	}

	@Test
	void unknownManagementTypeIsAnsweredWithUnknownTypeAndTheConnectionStaysUsable() throws Exception {
		this.running = RunningServer.start(RunningServer::echoBody);
		byte[] typeFortyTwo = { 1, 42, 0, 0, 0, 0, 0, 0 };
		try (RawConnection raw = this.running.raw()) {
			raw.write(typeFortyTwo);
			RawReply answered = RunningServer.readUntil(raw, (reply) -> !reply.managementRecords().isEmpty());
			assertThat(answered.managementRecords()).singleElement().satisfies((record) -> {
				assertThat(record.type()).isEqualTo(RecordType.UNKNOWN_TYPE);
				assertThat(record.content()).hasSize(8);
				assertThat(record.content()[0]).isEqualTo((byte) 42);
			});
			raw.write(RawRecords.request(1, false, "still here"));
			assertThat(RunningServer.readToEnd(raw).responses()).singleElement()
				.satisfies((response) -> assertThat(response.bodyAsString()).isEqualTo("still here"));
		}
	}

	private static Map<String, String> valuesIn(ManagementRecord record) throws Exception {
		assertThat(record.type()).isEqualTo(RecordType.GET_VALUES_RESULT);
		Map<String, String> values = new LinkedHashMap<>();
		NameValueDecoder decoder = new NameValueDecoder(DecoderLimits.DEFAULTS);
		decoder.decode(ByteBuffer.wrap(record.content()), values::put);
		decoder.finish();
		return values;
	}

}
