package dev.fastcgi.sample.e2e;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RawHttpConnection} against nginx, whose HTTP handling is the reference here. */
class RawHttpConnectionIT {

	private static final String TEXT = "Hello from the docroot\n".repeat(100);

	private static WebServerProcess nginx;

	@BeforeAll
	static void startNginx() throws Exception {
		nginx = WebServerProcess.nginx("""
				location = /discard { return 200 "discarded\\n"; }
				location /gzip/ {
					alias @DIR@/www/;
					gzip on;
					gzip_min_length 1;
					gzip_types text/plain;
				}
				""");
		Files.createDirectory(nginx.docroot().resolve("sub"));
		Files.writeString(nginx.docroot().resolve("hello.txt"), TEXT);
	}

	@AfterAll
	static void stopNginx() {
		nginx.close();
	}

	@Test
	void sendsTheRequestTargetAsWritten() throws Exception {
		try (RawHttpConnection connection = RawHttpConnection.open(nginx.port())) {
			connection.send("GET /sub/../hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(connection.readResponse().bodyText()).isEqualTo(TEXT);
			connection.send("GET /../hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(connection.readResponse().status()).isEqualTo(400);
		}
	}

	@Test
	void sendsChunkedBodyThatEndsWhereTheServerExpects() throws Exception {
		try (RawHttpConnection connection = RawHttpConnection.open(nginx.port())) {
			connection.send("POST /discard HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
				.sendChunk("first, ".getBytes(StandardCharsets.UTF_8))
				.sendChunk("second".getBytes(StandardCharsets.UTF_8))
				.sendChunk(new byte[0]);
			assertThat(connection.readResponse().bodyText()).isEqualTo("discarded\n");
			// A body framed wrongly would leave bytes that nginx reads as the next request line.
			connection.send("GET /discard HTTP/1.1\r\nHost: localhost\r\n\r\n");
			RawHttpResponse second = connection.readResponse();
			assertThat(second.status()).as(nginx::diagnostics).isEqualTo(200);
		}
	}

	@Test
	void decodesChunkedResponse() throws Exception {
		try (RawHttpConnection connection = RawHttpConnection.open(nginx.port())) {
			connection.send("GET /gzip/hello.txt HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n");
			HttpResponseHead head = connection.readHead();
			assertThat(head.isChunked()).as(head::toString).isTrue();
			InputStream body = connection.body(head);
			assertThat(new String(new GZIPInputStream(body).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
			// GZIPInputStream stops at the gzip trailer, before the last chunk: read that too.
			assertThat(body.read()).isEqualTo(-1);
			// The connection is usable afterwards only if the decoder stopped right after the last chunk.
			connection.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(connection.readResponse().bodyText()).isEqualTo(TEXT);
		}
	}

}
