package dev.fastcgi.server;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code FCGI_ABORT_REQUEST}: the request finishes as soon as it can and still gets its
 * END_REQUEST.
 */
@Timeout(60)
class AbortRequestTests {

	private RunningServer running;

	@AfterEach
	void stop() {
		this.running.close();
	}

	@Test
	void abortWhileTheHandlerWaitsForItsBodyFailsTheReadAndEndsTheRequest() throws Exception {
		CountDownLatch reading = new CountDownLatch(1);
		CountDownLatch abortCallbackRan = new CountDownLatch(1);
		AtomicReference<IOException> readFailure = new AtomicReference<>();
		this.running = RunningServer.start((exchange) -> {
			exchange.onAbort(abortCallbackRan::countDown);
			reading.countDown();
			try {
				exchange.stdin().readAllBytes();
			}
			catch (IOException ex) {
				readFailure.set(ex);
				throw ex;
			}
		});
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, true), RawRecords.params(1, "REQUEST_METHOD", "POST"),
					RawRecords.end(RecordType.PARAMS, 1)));
			RunningServer.await(reading);
			raw.write(RawRecords.abort(1));
			RawReply reply = RunningServer.readUntil(raw, (received) -> received.responses().size() == 1);
			assertThat(reply.responses().get(0).protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
			assertThat(readFailure.get()).isInstanceOf(RequestAbortedException.class).hasMessageContaining("aborted");
			RunningServer.await(abortCallbackRan);
		}
	}

	@Test
	void abortBeforeTheParamsAreCompleteEndsTheRequestAtOnceWithoutRunningTheHandler() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		this.running = RunningServer.start((exchange) -> handled.incrementAndGet());
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "REQUEST_METHOD", "GET"),
					RawRecords.abort(1)));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).singleElement()
				.satisfies((response) -> assertThat(response.protocolStatus())
					.isEqualTo(ProtocolStatus.REQUEST_COMPLETE));
			assertThat(reply.ending()).as("closed, since the request did not keep the connection")
				.isEqualTo(RawReply.Ending.CLOSED);
		}
		assertThat(handled).hasValue(0);
		assertThat(this.running.server().getActiveRequests()).isZero();
	}

}
