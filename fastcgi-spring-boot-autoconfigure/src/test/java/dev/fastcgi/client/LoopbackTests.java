package dev.fastcgi.client;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.fastcgi.client.CannedServer.Peer;
import dev.fastcgi.client.FastCgiClient.Exchange;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.client.FastCgiClient.Response;
import dev.fastcgi.protocol.DecodedEvent;
import dev.fastcgi.protocol.DecodedEvent.Abort;
import dev.fastcgi.protocol.DecodedEvent.Begin;
import dev.fastcgi.protocol.DecodedEvent.Management;
import dev.fastcgi.protocol.DecodedEvent.Pair;
import dev.fastcgi.protocol.DecodedEvent.Params;
import dev.fastcgi.protocol.DecodedEvent.StreamEnd;
import dev.fastcgi.protocol.NameValueEncoder;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.entry;

/**
 * The client against a socket that answers with canned records.
 */
@Timeout(30)
class LoopbackTests {

	private static final StreamEnd STDIN_END_1 = new StreamEnd(RecordType.STDIN, 1);

	private CannedServer server;

	@AfterEach
	void closeServer() throws IOException {
		this.server.close();
	}

	@Test
	void sendReturnsTheResponseAndClosesTheConnection() throws Exception {
		this.server = CannedServer.tcp();
		Future<Void> served = this.server.serve((peer) -> {
			List<DecodedEvent> received = peer.readUntil(STDIN_END_1);
			assertThat(received.get(0)).isEqualTo(new Begin(1, 1, false));
			assertThat(((Params) received.get(1)).pairs()).contains(new Pair("REQUEST_URI", "/hello?x=1"));
			peer.write(stdout(1, "Status: 201 Created\r\nContent-Type: text/plain\r\n\r\nmade"), end(RecordType.STDOUT, 1),
					records(RecordType.STDERR, 1, "careful"), end(RecordType.STDERR, 1),
					RecordEncoder.endRequest(1, 3, ProtocolStatus.REQUEST_COMPLETE));
			peer.readEndOfInput();
		});
		try (FastCgiClient client = this.server.client()) {
			Response response = client.send(Request.get("/hello?x=1"));
			assertThat(response.status()).isEqualTo(201);
			assertThat(response.header("Content-Type")).isEqualTo("text/plain");
			assertThat(response.bodyAsString()).isEqualTo("made");
			assertThat(response.stderr()).isEqualTo("careful");
			assertThat(response.appStatus()).isEqualTo(3);
			assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
			finish(served);
		}
	}

	@Test
	void worksOverAUnixSocket(@TempDir Path directory) throws Exception {
		this.server = CannedServer.unix(directory.resolve("fcgi.sock"));
		Future<Void> served = this.server.serve((peer) -> respond(peer, 1, "over unix"));
		try (FastCgiClient client = this.server.client()) {
			assertThat(client.send(Request.get("/")).bodyAsString()).isEqualTo("over unix");
			finish(served);
		}
	}

	@Test
	void aKeptConnectionCarriesTheNextRequest() throws Exception {
		this.server = CannedServer.tcp();
		Future<Void> served = this.server.serve((peer) -> {
			assertThat(respond(peer, 1, "first")).first().isEqualTo(new Begin(1, 1, true));
			assertThat(respond(peer, 1, "second")).first().isEqualTo(new Begin(1, 1, true));
			peer.readEndOfInput();
		});
		try (FastCgiClient client = this.server.client()) {
			assertThat(client.send(Request.get("/").keepConnection(true)).bodyAsString()).isEqualTo("first");
			assertThat(client.send(Request.get("/").keepConnection(true)).bodyAsString()).isEqualTo("second");
			assertThat(client.connectionsOpened()).isOne();
		}
		finish(served);
	}

	@Test
	void requestsWithoutKeepConnectionGetAConnectionEach() throws Exception {
		this.server = CannedServer.tcp();
		Future<Void> first = this.server.serve((peer) -> respond(peer, 1, "first"));
		try (FastCgiClient client = this.server.client()) {
			assertThat(client.send(Request.get("/")).bodyAsString()).isEqualTo("first");
			Future<Void> second = this.server.serve((peer) -> respond(peer, 1, "second"));
			assertThat(client.send(Request.get("/")).bodyAsString()).isEqualTo("second");
			assertThat(client.connectionsOpened()).isEqualTo(2);
			finish(first);
			finish(second);
		}
	}

	@Test
	void sendAllMultiplexesOnOneConnectionAndSortsInterleavedOutputById() throws Exception {
		this.server = CannedServer.tcp();
		Future<Void> served = this.server.serve((peer) -> {
			assertThat(peer.readUntil(new StreamEnd(RecordType.STDIN, 2))).contains(new Begin(1, 1, true),
					new Begin(2, 1, true));
			peer.write(stdout(2, "\r\ntw"), stdout(1, "\r\none"), stdout(2, "o"), end(RecordType.STDOUT, 2),
					RecordEncoder.endRequest(2, 0, ProtocolStatus.REQUEST_COMPLETE), end(RecordType.STDOUT, 1),
					RecordEncoder.endRequest(1, 0, ProtocolStatus.REQUEST_COMPLETE));
			peer.readEndOfInput();
		});
		try (FastCgiClient client = this.server.client()) {
			List<Response> responses = client.sendAll(
					List.of(Request.get("/1").keepConnection(true), Request.get("/2").keepConnection(true)));
			assertThat(responses).extracting(Response::requestId).containsExactly(1, 2);
			assertThat(responses).extracting(Response::bodyAsString).containsExactly("one", "two");
		}
		finish(served);
	}

	@Test
	void stdoutCanBeReadAsItArrives() throws Exception {
		this.server = CannedServer.tcp();
		CountDownLatch firstEventRead = new CountDownLatch(1);
		Future<Void> served = this.server.serve((peer) -> {
			peer.readUntil(STDIN_END_1);
			peer.write(stdout(1, "Content-Type: text/event-stream\n\ndata: 1\n\n"));
			assertThat(firstEventRead.await(CannedServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			peer.write(stdout(1, "data: 2\n\n"), end(RecordType.STDOUT, 1),
					RecordEncoder.endRequest(1, 0, ProtocolStatus.REQUEST_COMPLETE));
		});
		try (FastCgiClient client = this.server.client()) {
			Exchange exchange = client.start(Request.get("/events"));
			BufferedReader events = new BufferedReader(
					new InputStreamReader(exchange.stdout(), StandardCharsets.UTF_8));
			assertThat(events.readLine()).isEqualTo("Content-Type: text/event-stream");
			assertThat(events.readLine()).isEmpty();
			assertThat(events.readLine()).isEqualTo("data: 1");
			firstEventRead.countDown();
			assertThat(events.readLine()).isEmpty();
			assertThat(events.readLine()).isEqualTo("data: 2");
			assertThat(events.readLine()).isEmpty();
			assertThat(events.readLine()).isNull();
			assertThat(exchange.await().stdout()).isEmpty();
		}
		finish(served);
	}

	@Test
	void abortSendsAbortRequestAndTheResponseStillEnds() throws Exception {
		this.server = CannedServer.tcp();
		Future<Void> served = this.server.serve((peer) -> {
			peer.readUntil(STDIN_END_1);
			peer.readUntil(new Abort(1));
			peer.write(end(RecordType.STDOUT, 1), RecordEncoder.endRequest(1, 1, ProtocolStatus.REQUEST_COMPLETE));
		});
		try (FastCgiClient client = this.server.client()) {
			Exchange exchange = client.start(Request.get("/slow"));
			assertThat(exchange.requestId()).isOne();
			exchange.abort();
			assertThat(exchange.await().appStatus()).isOne();
		}
		finish(served);
	}

	@Test
	void getValuesAsksForTheNamesAndReturnsTheAnswer() throws Exception {
		this.server = CannedServer.tcp();
		Future<Void> served = this.server.serve((peer) -> {
			String query = new String(new NameValueEncoder().add("FCGI_MPXS_CONNS", "").add("FCGI_MAX_CONNS", "")
				.toByteArray(), StandardCharsets.ISO_8859_1);
			peer.readUntil(new Management(RecordType.GET_VALUES, RecordType.GET_VALUES.code(), query));
			peer.write(RecordEncoder.records(RecordType.GET_VALUES_RESULT, 0,
					new NameValueEncoder().add("FCGI_MPXS_CONNS", "1").add("FCGI_MAX_CONNS", "10").toByteArray()));
			peer.readEndOfInput();
		});
		try (FastCgiClient client = this.server.client()) {
			assertThat(client.getValues("FCGI_MPXS_CONNS", "FCGI_MAX_CONNS")).containsExactly(
					entry("FCGI_MPXS_CONNS", "1"),
					entry("FCGI_MAX_CONNS", "10"));
		}
		finish(served);
	}

	@Test
	void aServerThatDoesNotAnswerTimesOutAndLosesTheConnection() throws Exception {
		this.server = CannedServer.tcp();
		Future<Void> served = this.server.serve((peer) -> {
			peer.readUntil(STDIN_END_1);
			peer.readEndOfInput();
		});
		try (FastCgiClient client = this.server.client().readTimeout(Duration.ofMillis(200))) {
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> client.send(Request.get("/")))
				.withMessageContaining("FCGI_END_REQUEST of request 1");
			finish(served);
		}
	}

	@Test
	void aConnectionClosedBeforeEndRequestFails() throws Exception {
		this.server = CannedServer.tcp();
		this.server.serve((peer) -> {
			peer.readUntil(STDIN_END_1);
			peer.write(stdout(1, "Status: 200\r\n\r\npart"));
		});
		try (FastCgiClient client = this.server.client()) {
			assertThatExceptionOfType(EOFException.class).isThrownBy(() -> client.send(Request.get("/")))
				.withMessageContaining("FCGI_END_REQUEST of request 1");
		}
	}

	@Test
	void outputForARequestNotInFlightIsRefused() throws Exception {
		this.server = CannedServer.tcp();
		this.server.serve((peer) -> {
			peer.readUntil(STDIN_END_1);
			peer.write(stdout(7, "stray"));
			peer.readEndOfInput();
		});
		try (FastCgiClient client = this.server.client()) {
			assertThatIOException().isThrownBy(() -> client.send(Request.get("/")))
				.withMessage("The server sent a STDOUT record for request 7, which is not in flight");
		}
	}

	@Test
	void malformedOutputIsRefused() throws Exception {
		this.server = CannedServer.tcp();
		this.server.serve((peer) -> {
			peer.readUntil(STDIN_END_1);
			peer.write(new byte[] { 2, 6, 0, 1, 0, 0, 0, 0 });
			peer.readEndOfInput();
		});
		try (FastCgiClient client = this.server.client()) {
			assertThatIOException().isThrownBy(() -> client.send(Request.get("/")))
				.withMessageStartingWith("The server sent malformed FastCGI");
		}
	}

	@Test
	void aRawConnectionSendsAnyBytesAndDecodesWhatComesBackUntilTheServerCloses() throws Exception {
		this.server = CannedServer.tcp();
		byte[] garbage = { 9, 9, 9, 9 };
		this.server.serve((peer) -> {
			assertThat(peer.readBytes(garbage.length)).isEqualTo(garbage);
			peer.write(RecordEncoder.unknownType(9), stdout(1, "\r\nhi"),
					RecordEncoder.endRequest(1, 0, ProtocolStatus.UNKNOWN_ROLE));
		});
		try (FastCgiClient client = this.server.client(); RawConnection raw = client.openRaw()) {
			assertThat(raw.write(garbage)).isTrue();
			RawReply reply = raw.read(CannedServer.TIMEOUT);
			assertThat(reply.ending()).isEqualTo(RawReply.Ending.CLOSED);
			assertThat(reply.error()).isNull();
			assertThat(reply.managementRecords()).singleElement().satisfies((record) -> {
				assertThat(record.type()).isEqualTo(RecordType.UNKNOWN_TYPE);
				assertThat(record.content()).startsWith(9);
			});
			assertThat(reply.responses()).singleElement().satisfies((response) -> {
				assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.UNKNOWN_ROLE);
				assertThat(response.bodyAsString()).isEqualTo("hi");
			});
			assertThat(reply.bytes()).hasSize(16 + 16 + 16);
		}
	}

	@Test
	void aRawReplyTellsAQuietServerFromAClosedOneAndReportsATruncatedRecord() throws Exception {
		this.server = CannedServer.tcp();
		CountDownLatch quietSeen = new CountDownLatch(1);
		this.server.serve((peer) -> {
			peer.write(stdout(1, "x"));
			assertThat(quietSeen.await(CannedServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			peer.write(new byte[] { 1, 6 });
		});
		try (FastCgiClient client = this.server.client(); RawConnection raw = client.openRaw()) {
			RawReply quiet = raw.read(Duration.ofMillis(300));
			assertThat(quiet.ending()).isEqualTo(RawReply.Ending.QUIET);
			assertThat(quiet.error()).isNull();
			assertThat(quiet.bytes()).hasSize(16);
			quietSeen.countDown();
			RawReply closed = raw.read(CannedServer.TIMEOUT);
			assertThat(closed.ending()).isEqualTo(RawReply.Ending.CLOSED);
			assertThat(closed.error()).isEqualTo("Connection closed in the middle of a record");
			assertThat(closed.bytes()).hasSize(18);
		}
	}

	@Test
	void aRawReplyTellsAReset() throws Exception {
		this.server = CannedServer.tcp();
		this.server.serve((peer) -> {
			peer.readBytes(1);
			peer.reset();
		});
		try (FastCgiClient client = this.server.client(); RawConnection raw = client.openRaw()) {
			raw.write(new byte[] { 1, 2, 3 });
			RawReply reply = raw.read(CannedServer.TIMEOUT);
			assertThat(reply.ending()).isEqualTo(RawReply.Ending.RESET);
			assertThat(reply.bytes()).isEmpty();
		}
	}

	/** Reads the next request and answers it with the body; returns what it read. */
	private static List<DecodedEvent> respond(Peer peer, int requestId, String body) throws Exception {
		List<DecodedEvent> request = peer.readUntil(new StreamEnd(RecordType.STDIN, requestId));
		peer.write(stdout(requestId, "\r\n" + body), end(RecordType.STDOUT, requestId),
				RecordEncoder.endRequest(requestId, 0, ProtocolStatus.REQUEST_COMPLETE));
		return request;
	}

	private static byte[] stdout(int requestId, String content) {
		return records(RecordType.STDOUT, requestId, content);
	}

	private static byte[] records(RecordType type, int requestId, String content) {
		return RecordEncoder.records(type, requestId, content.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static byte[] end(RecordType type, int requestId) {
		return RecordEncoder.streamEnd(type, requestId);
	}

	private static void finish(Future<Void> served) throws Exception {
		served.get(CannedServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

}
