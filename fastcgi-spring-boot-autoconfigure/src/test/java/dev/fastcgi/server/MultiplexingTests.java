package dev.fastcgi.server;

import java.util.ArrayList;
import java.util.List;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several requests in flight on one connection under distinct ids, the limits on concurrent
 * requests, and records that belong to no request in flight.
 */
@Timeout(60)
class MultiplexingTests {

	private final CountDownLatch slowStarted = new CountDownLatch(1);

	private final CountDownLatch releaseSlow = new CountDownLatch(1);

	private RunningServer running;

	@AfterEach
	void stop() {
		this.releaseSlow.countDown();
		this.running.close();
	}

	@Test
	void severalRequestsInFlightOnOneConnectionEachGetTheirOwnResponse() throws Exception {
		this.running = RunningServer.start(RunningServer::echoBody);
		try (FastCgiClient client = this.running.client()) {
			List<Request> requests = new ArrayList<>();
			for (int i = 1; i <= 5; i++) {
				requests.add(Request.post("/echo", "text/plain", ("body of " + i).getBytes()).keepConnection(true));
			}
			// the client reuses the id of a request already answered while it still sends the others
			List<Response> responses = client.sendAll(requests);
			for (int i = 1; i <= 5; i++) {
				assertThat(responses.get(i - 1).bodyAsString()).isEqualTo("body of " + i);
			}
			assertThat(client.connectionsOpened()).isEqualTo(1);
		}
	}

	@Test
	void interleavedStdinOfTwoRequestsReachesEachItsOwnHandler() throws Exception {
		this.running = RunningServer.start(RunningServer::echoBody);
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, true), RawRecords.params(1, "REQUEST_METHOD", "POST"),
					RawRecords.end(RecordType.PARAMS, 1), RawRecords.begin(2, true),
					RawRecords.params(2, "REQUEST_METHOD", "POST"), RawRecords.end(RecordType.PARAMS, 2),
					RawRecords.stdin(1, "one-a "), RawRecords.stdin(2, "two-a "), RawRecords.stdin(1, "one-b"),
					RawRecords.stdin(2, "two-b"), RawRecords.end(RecordType.STDIN, 2), RawRecords.end(RecordType.STDIN, 1)));
			RawReply reply = RunningServer.readUntil(raw, (received) -> received.responses().size() == 2);
			assertThat(reply.responses()).anySatisfy((response) -> {
				assertThat(response.requestId()).isEqualTo(1);
				assertThat(response.bodyAsString()).isEqualTo("one-a one-b");
			}).anySatisfy((response) -> {
				assertThat(response.requestId()).isEqualTo(2);
				assertThat(response.bodyAsString()).isEqualTo("two-a two-b");
			});
		}
	}

	@Test
	void secondRequestCompletesWhileTheFirstIsStillRunning() throws Exception {
		this.running = RunningServer.start(this::slowOrFast);
		try (FastCgiClient client = this.running.client()) {
			Exchange slow = client.start(Request.get("/slow").keepConnection(true));
			RunningServer.await(this.slowStarted);
			// one after another, each on a worker while the first still runs
			for (int i = 0; i < 3; i++) {
				Exchange fast = client.start(Request.get("/fast").keepConnection(true));
				assertThat(fast.requestId()).isNotEqualTo(slow.requestId());
				assertThat(fast.await().bodyAsString()).isEqualTo("fast");
			}
			this.releaseSlow.countDown();
			assertThat(slow.await().bodyAsString()).isEqualTo("slow");
			assertThat(client.connectionsOpened()).isEqualTo(1);
		}
	}

	@Test
	void withoutMultiplexingASecondConcurrentRequestGetsCantMpxConn() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setMultiplexing(false), this::slowOrFast);
		try (FastCgiClient client = this.running.client()) {
			Exchange slow = client.start(Request.get("/slow").keepConnection(true));
			RunningServer.await(this.slowStarted);
			Response rejected = client.start(Request.get("/fast").keepConnection(true)).await();
			assertThat(rejected.protocolStatus()).isEqualTo(ProtocolStatus.CANT_MPX_CONN);
			this.releaseSlow.countDown();
			Response answered = slow.await();
			assertThat(answered.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
			assertThat(answered.bodyAsString()).isEqualTo("slow");
		}
	}

	@Test
	void requestsBeyondMaxRequestsAreOverloadedWhileTheOthersAreAnswered() throws Exception {
		CountDownLatch bothStarted = new CountDownLatch(2);
		this.running = RunningServer.start(RunningServer.settings().setMaxRequests(2), (exchange) -> {
			bothStarted.countDown();
			RunningServer.await(this.releaseSlow);
			RunningServer.respond(exchange, "answered");
		});
		try (FastCgiClient first = this.running.client(); FastCgiClient second = this.running.client();
				FastCgiClient third = this.running.client()) {
			Exchange firstExchange = first.start(Request.get("/one"));
			Exchange secondExchange = second.start(Request.get("/two"));
			RunningServer.await(bothStarted);
			assertThat(third.send(Request.get("/three")).protocolStatus()).isEqualTo(ProtocolStatus.OVERLOADED);
			this.releaseSlow.countDown();
			assertThat(firstExchange.await().bodyAsString()).isEqualTo("answered");
			assertThat(secondExchange.await().bodyAsString()).isEqualTo("answered");
		}
	}

	@Test
	void multiplexedRequestWithoutAThreadToRunOnIsOverloaded() throws Exception {
		// one thread for the connection and one reading it while the slow request runs: none left
		this.running = RunningServer.start(RunningServer.settings(), this::slowOrFast, 2);
		try (FastCgiClient client = this.running.client()) {
			Exchange slow = client.start(Request.get("/slow").keepConnection(true));
			RunningServer.await(this.slowStarted);
			Response rejected = client.start(Request.get("/fast").keepConnection(true)).await();
			assertThat(rejected.protocolStatus()).isEqualTo(ProtocolStatus.OVERLOADED);
			this.releaseSlow.countDown();
			assertThat(slow.await().bodyAsString()).isEqualTo("slow");
			assertThat(client.send(Request.get("/fast").keepConnection(true)).bodyAsString()).isEqualTo("fast");
		}
		assertThat(this.running.server().getActiveRequests()).isZero();
	}

	@Test
	void requestSlotsOfAConnectionClosedBeforeItsRequestsStartedAreFreed() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setMaxRequests(1), RunningServer::echoBody);
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.params(1, "REQUEST_METHOD", "GET")));
			// GET_VALUES shows the server has read the BEGIN_REQUEST before the connection closes
			raw.write(RawRecords.getValues("FCGI_MAX_REQS"));
			RunningServer.readUntil(raw, (received) -> !received.managementRecords().isEmpty());
		}
		this.running.awaitConnectionsClosed(1);
		try (FastCgiClient client = this.running.client()) {
			Response response = client.send(Request.post("/", "text/plain", "served".getBytes()));
			assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
			assertThat(response.bodyAsString()).isEqualTo("served");
		}
	}

	@Test
	void recordsForRequestIdsNotInFlightAreIgnored() throws Exception {
		this.running = RunningServer.start(RunningServer::echoBody);
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.stdin(7, "stray"), RawRecords.end(RecordType.STDIN, 7),
					RawRecords.params(8, "STRAY", "param"), RawRecords.end(RecordType.PARAMS, 8), RawRecords.abort(9),
					RawRecords.request(1, true, "real")));
			RunningServer.readUntil(raw, (received) -> received.responses().size() == 1);
			// request 1 has ended: its records are stray now too; GET_VALUES shows they were read
			raw.write(RawRecords.concat(RawRecords.stdin(1, "late"), RawRecords.end(RecordType.STDIN, 1),
					RawRecords.abort(1), RawRecords.getValues("FCGI_MPXS_CONNS")));
			RawReply reply = RunningServer.readUntil(raw, (received) -> !received.managementRecords().isEmpty());
			assertThat(reply.error()).isNull();
			assertThat(reply.responses()).singleElement().satisfies((response) -> {
				assertThat(response.requestId()).isEqualTo(1);
				assertThat(response.bodyAsString()).isEqualTo("real");
			});
		}
	}

	@Test
	void beginRequestForARequestIdInFlightIsIgnored() throws Exception {
		this.running = RunningServer.start((exchange) -> RunningServer.respond(exchange,
				exchange.params().get("FIRST") + " " + exchange.params().get("SECOND")));
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, true), RawRecords.params(1, "FIRST", "a"),
					RawRecords.beginWithRoleCode(1, 9, false), RawRecords.params(1, "SECOND", "b"),
					RawRecords.end(RecordType.PARAMS, 1), RawRecords.end(RecordType.STDIN, 1)));
			RunningServer.readUntil(raw, (received) -> received.responses().size() == 1);
			raw.write(RawRecords.getValues("FCGI_MPXS_CONNS"));
			RawReply reply = RunningServer.readUntil(raw, (received) -> !received.managementRecords().isEmpty());
			assertThat(reply.responses()).singleElement().satisfies((response) -> {
				assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
				assertThat(response.bodyAsString()).isEqualTo("a b");
			});
			assertThat(reply.ending()).as("still open, as the first BEGIN_REQUEST asked")
				.isEqualTo(RawReply.Ending.QUIET);
		}
	}

	private void slowOrFast(FastCgiExchange exchange) throws Exception {
		if (exchange.params().get("REQUEST_URI").equals("/slow")) {
			this.slowStarted.countDown();
			RunningServer.await(this.releaseSlow);
			RunningServer.respond(exchange, "slow");
		}
		else {
			RunningServer.respond(exchange, "fast");
		}
	}

}
