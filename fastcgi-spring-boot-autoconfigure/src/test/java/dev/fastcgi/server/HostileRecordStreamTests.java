package dev.fastcgi.server;

import java.util.concurrent.CountDownLatch;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Exchange;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Record streams no web server sends but which break no rule: they are ignored or answered as
 * the specification says, the connection goes on, and a well-formed request on another connection
 * is served meanwhile.
 */
@Timeout(60)
class HostileRecordStreamTests {

	private final CountDownLatch wellFormedStarted = new CountDownLatch(1);

	private final CountDownLatch releaseWellFormed = new CountDownLatch(1);

	private RunningServer running;

	private FastCgiClient client;

	private Exchange wellFormed;

	@BeforeEach
	void startWithARequestInProgress() throws Exception {
		this.running = RunningServer.start((exchange) -> {
			if ("/well-formed".equals(exchange.params().get("REQUEST_URI"))) {
				this.wellFormedStarted.countDown();
				RunningServer.await(this.releaseWellFormed);
			}
			RunningServer.echoBody(exchange);
		});
		this.client = this.running.client();
		this.wellFormed = this.client.start(Request.post("/well-formed", "text/plain", "well-formed".getBytes()));
		RunningServer.await(this.wellFormedStarted);
	}

	@AfterEach
	void wellFormedRequestWasServedMeanwhile() throws Exception {
		try {
			this.releaseWellFormed.countDown();
			assertThat(this.wellFormed.await().bodyAsString()).isEqualTo("well-formed");
			assertThat(this.running.protocolErrors()).isEmpty();
		}
		finally {
			this.client.close();
			this.running.close();
		}
	}

	@Test
	void recordsForRequestIdsNotInProgressAreIgnored() throws Exception {
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.params(7, "REQUEST_METHOD", "GET"), RawRecords.end(RecordType.PARAMS, 7),
					RawRecords.stdin(8, "stray"), RawRecords.end(RecordType.STDIN, 8), RawRecords.abort(9),
					RawRecords.request(1, false, "after the strays")));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).singleElement()
				.satisfies((response) -> assertThat(response.bodyAsString()).isEqualTo("after the strays"));
		}
	}

	@Test
	void recordsOfUnknownTypesForARequestAreSkipped() throws Exception {
		byte[] unknownType = RecordEncoder.records(RecordType.STDIN, 1, "ignored".getBytes());
		unknownType[1] = 42;
		byte[] stdoutFromTheWebServer = RecordEncoder.records(RecordType.STDOUT, 1, "ignored".getBytes());
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "REQUEST_METHOD", "POST"),
					RawRecords.end(RecordType.PARAMS, 1), unknownType, stdoutFromTheWebServer,
					RawRecords.stdin(1, "kept"), RawRecords.end(RecordType.STDIN, 1)));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).singleElement()
				.satisfies((response) -> assertThat(response.bodyAsString()).isEqualTo("kept"));
		}
	}

	@Test
	void stdinLongerThanContentLengthIsTheBodyAndTheNextRequestOnTheConnectionIsIntact() throws Exception {
		// the body is STDIN up to its empty record, whatever CONTENT_LENGTH claims
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, true, "longer than declared", "CONTENT_LENGTH", "6"));
			// an id is reused only once its END_REQUEST arrived
			RunningServer.readUntil(raw, (received) -> received.responses().size() == 1);
			raw.write(RawRecords.request(1, false, "next", "CONTENT_LENGTH", "4"));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).extracting(FastCgiClient.Response::bodyAsString)
				.containsExactly("longer than declared", "next");
		}
	}

	@Test
	void aSecondBeginRequestForAnIdInProgressIsIgnored() throws Exception {
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.begin(1, false),
					RawRecords.params(1, "REQUEST_METHOD", "POST"), RawRecords.end(RecordType.PARAMS, 1),
					RawRecords.stdin(1, "once"), RawRecords.end(RecordType.STDIN, 1)));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).singleElement()
				.satisfies((response) -> assertThat(response.bodyAsString()).isEqualTo("once"));
		}
	}

}
