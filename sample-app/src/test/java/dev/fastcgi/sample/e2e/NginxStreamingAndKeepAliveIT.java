package dev.fastcgi.sample.e2e;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fastcgi.sample.e2e.ServerSentEventReader.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nginx's FastCGI options that change how requests and responses travel: a pool of kept
 * connections ({@code fastcgi_keep_conn on} with {@code keepalive}), request bodies streamed as
 * they arrive ({@code fastcgi_request_buffering off}), responses streamed as they are written
 * ({@code fastcgi_buffering off}), and a client that leaves in the middle of one (499).
 */
class NginxStreamingAndKeepAliveIT {

	private static final int KEPT_CONNECTIONS = 2;

	private static SampleAppProcess application;

	private static WebServerProcess nginx;

	@BeforeAll
	static void start() {
		application = FastCgiTransport.TCP.startApplication();
		FastCgiAddress.Tcp address = (FastCgiAddress.Tcp) application.address();
		String upstream = """
				upstream kept {
					server %s:%d;
					keepalive %d;
				}
				""".formatted(address.host(), address.port(), KEPT_CONNECTIONS);
		String direct = "fastcgi_pass %s:%d;".formatted(address.host(), address.port());
		nginx = WebServerProcess.nginx(upstream, """
				location /api/ {
					include /etc/nginx/fastcgi_params;
					fastcgi_keep_conn on;
					fastcgi_pass kept;
				}
				location = /upload {
					include /etc/nginx/fastcgi_params;
					client_max_body_size 0;
					fastcgi_request_buffering off;
					%1$s
				}
				location = /events {
					include /etc/nginx/fastcgi_params;
					fastcgi_buffering off;
					%1$s
				}
				""".formatted(direct));
	}

	@AfterAll
	static void stop() {
		try (SampleAppProcess app = application) {
			nginx.close();
		}
	}

	@Test
	void keptConnectionsCarryManyRequests() throws Exception {
		int port = ((FastCgiAddress.Tcp) application.address()).port();
		Set<Integer> before = TcpConnections.clientPortsConnectedTo(port);
		for (int i = 0; i < 50; i++) {
			HttpResponse<String> response = E2eHttp.get(nginx.uri("/api/greeting?name=" + i));
			assertThat(response.statusCode()).as(nginx::diagnostics).isEqualTo(200);
			assertThat(response.body()).isEqualTo("{\"greeting\":\"Hello, " + i + "!\"}");
		}
		Set<Integer> opened = new HashSet<>(TcpConnections.clientPortsConnectedTo(port));
		opened.removeAll(before);
		assertThat(opened).as("connections nginx opened to the application").isNotEmpty().hasSizeLessThanOrEqualTo(KEPT_CONNECTIONS);
	}

	@Test
	void chunkedUploadIsStreamedToTheApplication() throws Exception {
		byte[] content = new byte[6 * 1024 * 1024];
		new Random(7).nextBytes(content);
		MultipartBody body = MultipartBody.file("file", "six-megabytes.bin", content);
		try (RawHttpConnection connection = RawHttpConnection.open(nginx.port())) {
			connection.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + body.contentType()
					+ "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
			for (int offset = 0; offset < body.bytes().length; offset += 65_536) {
				connection.sendChunk(Arrays.copyOfRange(body.bytes(), offset, Math.min(offset + 65_536, body.bytes().length)));
			}
			connection.sendChunk(new byte[0]);
			RawHttpResponse response = connection.readResponse();
			assertThat(response.status()).as(nginx::diagnostics).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("{\"name\":\"six-megabytes.bin\",\"size\":%d,\"sha256\":\"%s\"}"
				.formatted(content.length, MultipartBody.sha256(content)));
		}
	}

	@Test
	void serverSentEventsArriveOneByOneThenTheStreamEnds() throws Exception {
		try (RawHttpConnection connection = RawHttpConnection.open(nginx.port())) {
			connection.send("GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
			HttpResponseHead head = connection.readHead();
			assertThat(head.status()).as(nginx::diagnostics).isEqualTo(200);
			assertThat(head.header("Content-Type")).startsWith("text/event-stream");
			ServerSentEventReader events = new ServerSentEventReader(connection.body(head));
			for (int sequence = 1; sequence <= 5; sequence++) {
				assertThat(events.next()).isEqualTo(new ServerSentEvent(Integer.toString(sequence), "tick",
						"tick " + sequence + " of 5"));
			}
			assertThat(events.next()).isNull();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(application.log()).contains("Event stream complete: 5 events sent"));
	}

	/**
	 * The client leaves after the first event. That it could read one before the application
	 * produced the last is what {@code fastcgi_buffering off} is for. nginx then closes the
	 * FastCGI connection (its access log says 200, not 499, because the response had begun) and
	 * the application's next event fails.
	 */
	@Test
	void clientLeavingMidStreamIsNoticedByTheApplicationAndTheNextRequestIsServed() throws Exception {
		String abandoned = "Event stream abandoned after ";
		int abandonedBefore = occurrences(application.log(), abandoned);
		try (RawHttpConnection connection = RawHttpConnection.open(nginx.port())) {
			connection.send("GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
			HttpResponseHead head = connection.readHead();
			InputStream body = connection.body(head);
			assertThat(new ServerSentEventReader(body).next().data()).isEqualTo("tick 1 of 5");
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(occurrences(application.log(), abandoned)).isEqualTo(abandonedBefore + 1));
		String log = application.log();
		String report = log.substring(log.lastIndexOf(abandoned) + abandoned.length());
		assertThat(report).as(log).matches("(?s)[1-4] of 5 events, the client went away.*");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(nginx.errorLog()).contains("client prematurely closed connection"));
		HttpResponse<String> next = E2eHttp.get(nginx.uri("/api/greeting"));
		assertThat(next.statusCode()).as(nginx::diagnostics).isEqualTo(200);
	}

	private static int occurrences(String text, String part) {
		return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
	}

}
