package dev.fastcgi.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FastCgiExchange#breakOff()}: a response that failed once committed goes out as far as it
 * was written and then breaks off, in a way each web server passes on to its client as a
 * response cut short; never as one that ended.
 */
@Timeout(60)
class BreakOffTests {

	private RunningServer running;

	@AfterEach
	void stop() {
		this.running.close();
	}

	@Test
	void onAKeptConnectionWhatWasWrittenGoesOutThenTheConnectionClosesWithoutEndRequest() throws Exception {
		this.running = RunningServer.start(RunningServer::breakOffAfterPart);
		try (RawConnection raw = this.running.raw()) {
			assertThat(RunningServer.readBrokenOff(raw, true).bytes()).isEqualTo(RecordEncoder.records(RecordType.STDOUT, 1,
					RunningServer.HEAD_AND_PART.getBytes(StandardCharsets.ISO_8859_1)));
		}
	}

	/** nginx without fastcgi_keep_conn takes a close between records for the end of the response. */
	@Test
	void onAConnectionNotKeptAnUnreadableRecordHeaderFollowsBeforeTheClose() throws Exception {
		this.running = RunningServer.start(RunningServer::breakOffAfterPart);
		try (RawConnection raw = this.running.raw()) {
			RawReply reply = RunningServer.readBrokenOff(raw, false);
			byte[] received = reply.bytes();
			byte[] part = RecordEncoder.records(RecordType.STDOUT, 1,
					RunningServer.HEAD_AND_PART.getBytes(StandardCharsets.ISO_8859_1));
			assertThat(received).startsWith(part).hasSize(part.length + RecordDecoder.HEADER_LENGTH);
			assertThat(Arrays.copyOfRange(received, part.length, received.length)).containsOnly((byte) 0);
			assertThat(reply.error()).isNotNull();
		}
	}

	/** A connection carrying other requests is not closed for one: that one ends with application status 1. */
	@Test
	void withAnotherRequestInFlightTheBrokenOneEndsWithApplicationStatusOne() throws Exception {
		CountDownLatch secondStarted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		this.running = RunningServer.start((exchange) -> {
			if (exchange.requestId() == 1) {
				RunningServer.await(secondStarted);
				RunningServer.breakOffAfterPart(exchange);
			}
			else {
				secondStarted.countDown();
				RunningServer.await(release);
				RunningServer.respond(exchange, "second");
			}
		});
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.request(1, true, ""), RawRecords.request(2, true, "")));
			RawReply first = RunningServer.readUntil(raw, (received) -> received.responses().size() == 1);
			assertThat(first.responses()).singleElement().satisfies((response) -> {
				assertThat(response.requestId()).isEqualTo(1);
				assertThat(response.appStatus()).isEqualTo(1);
				assertThat(response.bodyAsString()).isEqualTo("part of the body");
			});
			release.countDown();
			RawReply both = RunningServer.readUntil(raw, (received) -> received.responses().size() == 2);
			assertThat(both.responses().get(1).bodyAsString()).isEqualTo("second");
			assertThat(both.ending()).isEqualTo(RawReply.Ending.QUIET);
		}
	}

}
