package dev.fastcgi.server;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request body size limit, the per-connection request limit and the 503 answer to overload.
 */
@Timeout(60)
class RequestLimitTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private RunningServer running;

	@AfterEach
	void stop() {
		this.release.countDown();
		this.running.close();
	}

	@Test
	void aContentLengthOverTheLimitIsAnswered413WithoutRunningTheHandler() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		this.running = RunningServer.start(RunningServer.settings().setMaxBodySize(10), (exchange) -> {
			handled.incrementAndGet();
			RunningServer.echoBody(exchange);
		});
		try (FastCgiClient client = this.running.client()) {
			Response response = client.send(Request.post("/upload", "text/plain", "eleven byte".getBytes()));
			assertThat(response.status()).isEqualTo(413);
			assertThat(handled).hasValue(0);
			assertThat(client.send(Request.post("/upload", "text/plain", "ten bytes!".getBytes())).bodyAsString())
				.as("a body at the limit").isEqualTo("ten bytes!");
			assertThat(this.running.server().getActiveRequests()).isZero();
		}
	}

	@Test
	void aStreamedBodyGrowingPastTheLimitIsAnswered413AndTheHandlersReadFails() throws Exception {
		CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
		this.running = RunningServer.start(RunningServer.settings().setMaxBodySize(10), (exchange) -> {
			try {
				exchange.stdin().readAllBytes();
				readFailure.complete(null);
			}
			catch (IOException ex) {
				readFailure.complete(ex);
			}
		});
		try (RawConnection raw = this.running.raw()) {
			// as nginx streams a chunked body: no CONTENT_LENGTH
			raw.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "CONTENT_LENGTH", ""),
					RawRecords.end(RecordType.PARAMS, 1), RawRecords.stdin(1, "0123456789"),
					RawRecords.stdin(1, "one too many"), RawRecords.end(RecordType.STDIN, 1)));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).singleElement().satisfies((response) -> {
				assertThat(response.status()).isEqualTo(413);
				assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
			});
			assertThat(readFailure.get(RunningServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
				.isInstanceOf(IOException.class);
		}
	}

	@Test
	void http503OverloadResponseAnswersAPageTheWebServerPassesOn() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		this.running = RunningServer.start(
				RunningServer.settings().setMaxRequests(1).setOverloadResponse(OverloadResponse.HTTP_503),
				(exchange) -> {
					started.countDown();
					RunningServer.await(this.release);
					RunningServer.respond(exchange, "answered");
				});
		try (FastCgiClient busy = this.running.client(); FastCgiClient turnedAway = this.running.client()) {
			Exchange first = busy.start(Request.get("/busy"));
			RunningServer.await(started);
			Response rejected = turnedAway.send(Request.get("/more"));
			assertThat(rejected.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
			assertThat(rejected.status()).isEqualTo(503);
			assertThat(rejected.header("Retry-After")).isEqualTo("1");
			this.release.countDown();
			assertThat(first.await().bodyAsString()).isEqualTo("answered");
		}
	}

	@Test
	void thousandsOfRequestsNeverCompletedOnOneConnectionAreOverloadedBeyondTheConnectionsShare() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setMaxRequestsPerConnection(4),
				(exchange) -> RunningServer.respond(exchange, "answered"));
		try (RawConnection hoarder = this.running.raw(); FastCgiClient client = this.running.client()) {
			byte[][] begins = new byte[5000][];
			for (int id = 1; id <= begins.length; id++) {
				begins[id - 1] = RawRecords.begin(id, true);
			}
			hoarder.write(RawRecords.concat(begins));
			RawReply reply = RunningServer.readUntil(hoarder,
					(received) -> received.responses().size() == begins.length - 4);
			assertThat(reply.responses()).allSatisfy((response) -> {
				assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.OVERLOADED);
				assertThat(response.requestId()).isGreaterThan(4);
			});
			assertThat(this.running.server().getActiveRequests()).isEqualTo(4);
			assertThat(client.send(Request.get("/meanwhile")).bodyAsString()).isEqualTo("answered");
		}
		this.running.awaitConnectionsClosed(2);
		assertThat(this.running.server().getActiveRequests()).as("the half-open requests' slots are freed").isZero();
	}

}
