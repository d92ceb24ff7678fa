package dev.fastcgi.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.client.FastCgiClient.Response;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time limits: a slow or stuck web server never holds a connection or a handler for ever, and
 * the other connections go on being served.
 */
@Timeout(60)
class TimeoutTests {

	private static final Duration SHORT = Duration.ofMillis(300);

	private final CountDownLatch release = new CountDownLatch(1);

	private RunningServer running;

	@AfterEach
	void stop() {
		this.release.countDown();
		this.running.close();
	}

	@Test
	void keepAliveTimeoutClosesAConnectionWaitingForItsNextRequest() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setKeepAliveTimeout(SHORT),
				(exchange) -> RunningServer.respond(exchange, "answered"));
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, true, ""));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).singleElement()
				.satisfies((response) -> assertThat(response.bodyAsString()).isEqualTo("answered"));
			this.running.awaitConnectionsClosed(1);
			assertThat(this.running.timeouts()).containsExactly(ServerTimeout.KEEP_ALIVE);
		}
	}

	@Test
	void paramsTimeoutClosesAConnectionWhoseParamsNeverEndWhileOthersAreServed() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setParamsTimeout(SHORT),
				(exchange) -> RunningServer.respond(exchange, "answered"));
		try (RawConnection stuck = this.running.raw(); FastCgiClient client = this.running.client()) {
			stuck.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "REQUEST_METHOD", "GET")));
			RawReply reply = RunningServer.readToEnd(stuck);
			assertThat(reply.responses()).isEmpty();
			assertThat(this.running.timeouts()).containsExactly(ServerTimeout.PARAMS);
			assertThat(client.send(Request.get("/after")).bodyAsString()).isEqualTo("answered");
			assertThat(this.running.server().getActiveRequests()).isZero();
		}
	}

	@Test
	void bodyIdleTimeoutFailsTheHandlersReadAndClosesTheConnection() throws Exception {
		CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
		this.running = RunningServer.start(RunningServer.settings().setBodyIdleTimeout(SHORT), (exchange) -> {
			try {
				exchange.stdin().readAllBytes();
				readFailure.complete(null);
			}
			catch (IOException ex) {
				readFailure.complete(ex);
			}
		});
		try (RawConnection stalled = this.running.raw()) {
			stalled.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "CONTENT_LENGTH", "100"),
					RawRecords.end(RecordType.PARAMS, 1), RawRecords.stdin(1, "only part of it")));
			assertThat(readFailure.get(RunningServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
				.isInstanceOf(IOException.class);
			RunningServer.readToEnd(stalled);
			assertThat(this.running.timeouts()).containsExactly(ServerTimeout.BODY_IDLE);
			this.running.awaitConnectionsClosed(1);
			assertThat(this.running.server().getActiveRequests()).isZero();
		}
	}

	@Test
	void aHandlerSlowToReadItsBodyIsNotTimedOutWhileTheWebServerWaitsForIt() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setBodyIdleTimeout(SHORT), (exchange) -> {
			// longer than the body idle timeout, but nobody waits for the web server meanwhile
			Thread.sleep(SHORT.multipliedBy(3).toMillis());
			RunningServer.echoBody(exchange);
		});
		try (FastCgiClient client = this.running.client()) {
			Response response = client.send(Request.post("/slow-reader", "text/plain", "body".getBytes()));
			assertThat(response.bodyAsString()).isEqualTo("body");
			assertThat(this.running.timeouts()).isEmpty();
		}
	}

	@Test
	void requestTimeoutAnswers503AndFailsTheHandlersLaterWrites() throws Exception {
		CompletableFuture<Throwable> writeFailure = new CompletableFuture<>();
		this.running = RunningServer.start(RunningServer.settings().setRequestTimeout(SHORT), (exchange) -> {
			RunningServer.await(this.release);
			try {
				RunningServer.respond(exchange, "too late");
				exchange.stdout().flush();
				writeFailure.complete(null);
			}
			catch (IOException ex) {
				writeFailure.complete(ex);
			}
		});
		try (FastCgiClient client = this.running.client()) {
			Response response = client.send(Request.get("/stuck"));
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.appStatus()).isNotZero();
			// reported once the answer is out
			Awaitility.await()
				.atMost(RunningServer.PATIENCE)
				.untilAsserted(() -> assertThat(this.running.timeouts()).containsExactly(ServerTimeout.REQUEST));
			this.release.countDown();
			assertThat(writeFailure.get(RunningServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
				.isInstanceOf(IOException.class);
			this.running.awaitConnectionsClosed(1);
			assertThat(this.running.server().getActiveRequests()).isZero();
		}
	}

	/** A response already going out cannot become a 503: it is broken off, which the web server passes on. */
	@Test
	void requestTimeoutAfterTheResponseStartedBreaksItOff() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setRequestTimeout(SHORT), (exchange) -> {
			RunningServer.respond(exchange, "first part");
			exchange.stdout().flush();
			RunningServer.await(this.release);
		});
		try (RawConnection raw = this.running.raw()) {
			assertThat(RunningServer.readBrokenOff(raw, true).bytes()).isEqualTo(RecordEncoder.records(RecordType.STDOUT, 1,
					"Status: 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nfirst part"
						.getBytes(StandardCharsets.UTF_8)));
			// reported once the response is broken off, which the client may see first
			Awaitility.await()
				.atMost(RunningServer.PATIENCE)
				.untilAsserted(() -> assertThat(this.running.timeouts()).containsExactly(ServerTimeout.REQUEST));
		}
		this.release.countDown();
		Awaitility.await()
			.atMost(RunningServer.PATIENCE)
			.untilAsserted(() -> assertThat(this.running.server().getActiveRequests()).isZero());
	}

	@Test
	void aRequestIdEndedByTheRequestTimeoutCanBeReusedOnAKeptConnection() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setRequestTimeout(SHORT), (exchange) -> {
			if ("/stuck".equals(exchange.params().get("REQUEST_URI"))) {
				RunningServer.await(this.release);
			}
			RunningServer.respond(exchange, "answered");
		});
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, true, "", "REQUEST_URI", "/stuck"));
			RunningServer.readUntil(raw, (received) -> received.responses().size() == 1);
			raw.write(RawRecords.request(1, true, "", "REQUEST_URI", "/next"));
			this.release.countDown();
			RawReply reply = RunningServer.readUntil(raw, (received) -> received.responses().size() == 2);
			assertThat(reply.responses().get(0).status()).isEqualTo(503);
			assertThat(reply.responses().get(1).bodyAsString()).isEqualTo("answered");
		}
	}

	@Test
	void aRequestOverTheSlowRequestThresholdIsReported() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setSlowRequestThreshold(Duration.ofMillis(20)),
				(exchange) -> {
					Thread.sleep(200);
					RunningServer.respond(exchange, "slow");
				});
		try (FastCgiClient client = this.running.client()) {
			assertThat(client.send(Request.get("/slow")).bodyAsString()).isEqualTo("slow");
		}
		assertThat(this.running.slowRequests()).singleElement()
			.satisfies((duration) -> assertThat(duration).isGreaterThan(Duration.ofMillis(20)));
	}

}
