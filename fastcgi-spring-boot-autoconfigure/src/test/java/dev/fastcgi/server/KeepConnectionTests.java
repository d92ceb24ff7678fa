package dev.fastcgi.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code FCGI_KEEP_CONN}: without it the server closes the connection after END_REQUEST, cleanly;
 * with it the web server reuses the connection for request after request.
 */
@Timeout(60)
class KeepConnectionTests {

	private RunningServer running;

	@AfterEach
	void stop() {
		this.running.close();
	}

	@Test
	void withoutKeepConnTheServerClosesTheConnectionAfterEndRequest() throws Exception {
		this.running = RunningServer.start(RunningServer::echoBody);
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, false, "hello"));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.ending()).isEqualTo(RawReply.Ending.CLOSED);
			assertThat(reply.responses()).singleElement().satisfies((response) -> {
				assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
				assertThat(response.bodyAsString()).isEqualTo("hello");
			});
		}
	}

	@Test
	void withoutKeepConnARequestReadToItsEndIsClosedWithoutWaitingForTheWebServerToClose() throws Exception {
		// a drain would outlast the test's patience: only skipping it lets the connection close
		this.running = RunningServer.start(RunningServer.settings().setDrainTimeout(Duration.ofMinutes(5)),
				RunningServer::echoBody);
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, false, "hello"));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.ending()).isEqualTo(RawReply.Ending.CLOSED);
			this.running.awaitConnectionsClosed(1);
		}
	}

	@Test
	void withoutKeepConnALargeBodyTheHandlerDidNotReadIsDrainedInsteadOfResetting() throws Exception {
		this.running = RunningServer.start((exchange) -> RunningServer.respond(exchange, "not interested"));
		byte[] body = new byte[8 * 1024 * 1024];
		Arrays.fill(body, (byte) 'x');
		try (RawConnection raw = this.running.raw()) {
			boolean tookAll = raw.write(RawRecords.concat(RawRecords.begin(1, false),
					RawRecords.params(1, "REQUEST_METHOD", "POST", "CONTENT_LENGTH", Integer.toString(body.length)),
					RawRecords.end(RecordType.PARAMS, 1), RecordEncoder.records(RecordType.STDIN, 1, body),
					RawRecords.end(RecordType.STDIN, 1)));
			// a web server closes once it has the response; the server's drain then ends
			raw.shutdownOutput();
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(tookAll).as("the server took the whole body").isTrue();
			assertThat(reply.ending()).as("closed without a reset").isEqualTo(RawReply.Ending.CLOSED);
			assertThat(reply.responses()).singleElement()
				.satisfies((response) -> assertThat(response.bodyAsString()).isEqualTo("not interested"));
		}
	}

	@Test
	void withKeepConnLargeBodiesOneAfterAnotherArriveIntactThroughReusedChunks() throws Exception {
		this.running = RunningServer.start((exchange) -> {
			// byte by byte and in odd sizes, so that reads end inside chunks and across them
			InputStream stdin = exchange.stdin();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			byte[] buffer = new byte[1000];
			int first;
			while ((first = stdin.read()) != -1) {
				received.write(first);
				int count = stdin.read(buffer);
				if (count > 0) {
					received.write(buffer, 0, count);
				}
			}
			RunningServer.respond(exchange, digest(received.toByteArray()));
		});
		Random random = new Random(42);
		try (FastCgiClient client = this.running.client()) {
			for (int i = 0; i < 20; i++) {
				byte[] body = new byte[100_000 + random.nextInt(200_000)];
				random.nextBytes(body);
				FastCgiClient.Response response = client
					.send(Request.post("/upload", "application/octet-stream", body).keepConnection(true));
				assertThat(response.bodyAsString()).as("request %d", i).isEqualTo(digest(body));
			}
			assertThat(client.connectionsOpened()).isEqualTo(1);
		}
	}

	private static String digest(byte[] bytes) throws IOException {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IOException(ex);
		}
	}

	@Test
	void withKeepConnManyRequestsShareOneConnection() throws Exception {
		this.running = RunningServer.start(RunningServer::echoBody);
		try (FastCgiClient client = this.running.client()) {
			for (int i = 0; i < 200; i++) {
				FastCgiClient.Response response = client
					.send(Request.post("/echo", "text/plain", ("request " + i).getBytes()).keepConnection(true));
				assertThat(response.bodyAsString()).isEqualTo("request " + i);
			}
			assertThat(client.connectionsOpened()).isEqualTo(1);
		}
	}

}
