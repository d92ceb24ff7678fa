package dev.fastcgi.servlet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.compression}: which responses are gzip-compressed, with the headers Tomcat sends
 * for them, and that the compressed body is the body.
 */
class ResponseCompressionTests {

	private static final String JSON = "{\"items\":[" + "{\"name\":\"thing\",\"quantity\":2},".repeat(200) + "{}]}";

	private final ServletFixture fixture = new ServletFixture("");

	@BeforeEach
	void compressJsonAndTextOfTwoKilobytesAndMore() {
		this.fixture.context.setResponseCompression(
				new ResponseCompression(List.of("application/json", "text/html", "text/plain"), 2048, List.of(".*Legacy.*")));
		this.fixture.servlet("json", (request, response) -> {
			response.setContentType("application/json");
			String status = request.getParameter("status");
			if (status != null) {
				response.setStatus(Integer.parseInt(status));
			}
			String repeat = request.getParameter("repeat");
			String body = (repeat != null) ? "x".repeat(Integer.parseInt(repeat)) : JSON;
			response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
		}, "/json");
	}

	@AfterEach
	void stop() {
		this.fixture.close();
	}

	@Test
	void aLargeCompressibleResponseToAClientTakingGzipIsCompressedWithoutALength() throws IOException {
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/json").param("HTTP_ACCEPT_ENCODING", "gzip, deflate, br"));
		assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
		assertThat(response.headers().get("vary")).containsExactly("accept-encoding");
		assertThat(response.header("Content-Length")).isNull();
		assertThat(response.body().length).isLessThan(JSON.length() / 10);
		assertThat(gunzip(response.body())).isEqualTo(JSON);
	}

	@Test
	void aClientNotTakingGzipGetsTheBodyAsItIsButTheResponseStillVaries() throws IOException {
		for (String acceptEncoding : new String[] { null, "deflate, br", "gzip;q=0, br", "*" }) {
			TestExchange exchange = TestExchange.get("/json");
			if (acceptEncoding != null) {
				exchange.param("HTTP_ACCEPT_ENCODING", acceptEncoding);
			}
			TestExchange.CgiResponse response = this.fixture.serve(exchange);
			assertThat(response.header("Content-Encoding")).as(acceptEncoding).isNull();
			assertThat(response.header("Vary")).as(acceptEncoding).isEqualTo("accept-encoding");
			assertThat(response.bodyText()).as(acceptEncoding).isEqualTo(JSON);
		}
	}

	@Test
	void anExcludedUserAgentGetsTheBodyAsItIs() throws IOException {
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/json").param("HTTP_ACCEPT_ENCODING", "gzip")
			.param("HTTP_USER_AGENT", "Mozilla/4.0 (Legacy 6.0)"));
		assertThat(response.header("Content-Encoding")).isNull();
		assertThat(response.header("Vary")).isEqualTo("accept-encoding");
		assertThat(response.bodyText()).isEqualTo(JSON);
	}

	/** A whole body still in the buffer at the end has a known length, which decides; the minimum itself is compressed. */
	@Test
	void aBufferedResponseBelowTheMinimumSizeKeepsItsLengthAndDoesNotVary() throws IOException {
		TestExchange.CgiResponse small = this.fixture.serve(TestExchange.get("/json?repeat=2047").param("HTTP_ACCEPT_ENCODING", "gzip"));
		assertThat(small.header("Content-Encoding")).isNull();
		assertThat(small.header("Vary")).isNull();
		assertThat(small.header("Content-Length")).isEqualTo("2047");
		TestExchange.CgiResponse minimum = this.fixture.serve(TestExchange.get("/json?repeat=2048").param("HTTP_ACCEPT_ENCODING", "gzip"));
		assertThat(minimum.header("Content-Encoding")).isEqualTo("gzip");
		assertThat(gunzip(minimum.body())).isEqualTo("x".repeat(2048));
	}

	@ParameterizedTest
	@ValueSource(ints = { 204, 304, 205 })
	void aResponseWithoutBodyIsNotCompressed(int status) throws IOException {
		TestExchange.CgiResponse response = this.fixture
			.serve(TestExchange.get("/json?status=" + status).param("HTTP_ACCEPT_ENCODING", "gzip"));
		assertThat(response.status()).isEqualTo(status);
		assertThat(response.header("Content-Encoding")).isNull();
		assertThat(response.header("Vary")).isNull();
	}

	@Test
	void typesEncodingsAndStrongETagsThatRuleCompressionOut() throws IOException {
		this.fixture.servlet("other", (request, response) -> {
			String type = request.getParameter("type");
			if (type != null) {
				response.setContentType(type);
			}
			String encoding = request.getParameter("encoding");
			if (encoding != null) {
				response.setHeader("Content-Encoding", encoding);
			}
			String eTag = request.getParameter("etag");
			if (eTag != null) {
				response.setHeader("ETag", eTag);
			}
			response.getOutputStream().write(JSON.getBytes(StandardCharsets.UTF_8));
		}, "/other");
		assertThat(compressed("/other?type=image/png")).isFalse();
		assertThat(compressed("/other")).isFalse();
		assertThat(compressed("/other?type=text/plain;charset=UTF-8")).isTrue();
		assertThat(compressed("/other?type=text/html&encoding=br")).isFalse();
		assertThat(compressed("/other?type=text/html&encoding=identity")).isTrue();
		assertThat(compressed("/other?type=text/html&etag=%22v1%22")).isFalse();
		assertThat(compressed("/other?type=text/html&etag=W/%22v1%22")).isTrue();
	}

	@Test
	void varyNamesTheApplicationSetAreKeptAndJoinedAsTomcatJoinsThem() throws IOException {
		this.fixture.servlet("cors", (request, response) -> {
			response.setContentType("text/plain");
			for (String vary : request.getParameterValues("vary")) {
				response.addHeader("Vary", vary);
			}
			response.getOutputStream().write(JSON.getBytes(StandardCharsets.UTF_8));
		}, "/cors");
		assertThat(this.fixture.serve(TestExchange.get("/cors?vary=Origin&vary=Access-Control-Request-Method")).headers().get("vary"))
			.containsExactly("origin,access-control-request-method,accept-encoding");
		assertThat(this.fixture.serve(TestExchange.get("/cors?vary=Accept-Encoding")).headers().get("vary"))
			.containsExactly("accept-encoding");
		assertThat(this.fixture.serve(TestExchange.get("/cors?vary=*")).headers().get("vary")).containsExactly("*");
	}

	@Test
	void headAnnouncesTheEncodingAndSendsNoBody() throws IOException {
		TestExchange.CgiResponse response = this.fixture
			.serve(TestExchange.request("HEAD", "/json").param("HTTP_ACCEPT_ENCODING", "gzip"));
		assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
		assertThat(response.header("Content-Length")).isNull();
		assertThat(response.body()).isEmpty();
	}

	/** A flush sends everything written so far in a form the client can decompress at once: streaming keeps working. */
	@Test
	void flushSendsWhatWasWrittenDecompressibleAtOnce() throws IOException {
		AtomicReference<byte[]> sentAtFlush = new AtomicReference<>();
		TestExchange exchange = TestExchange.get("/stream").param("HTTP_ACCEPT_ENCODING", "gzip");
		this.fixture.servlet("stream", (request, response) -> {
			response.setContentType("text/plain");
			response.getWriter().print("first part ");
			response.flushBuffer();
			sentAtFlush.set(exchange.output());
			response.getWriter().print("second part");
		}, "/stream");
		TestExchange.CgiResponse response = this.fixture.serve(exchange);
		assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
		assertThat(inflateWhatCame(TestExchange.CgiResponse.parse(sentAtFlush.get()).body())).isEqualTo("first part ");
		assertThat(gunzip(response.body())).isEqualTo("first part second part");
	}

	@Test
	void withoutCompressionNothingChanges() throws IOException {
		this.fixture.context.setResponseCompression(null);
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get("/json").param("HTTP_ACCEPT_ENCODING", "gzip"));
		assertThat(response.header("Content-Encoding")).isNull();
		assertThat(response.header("Vary")).isNull();
		assertThat(response.bodyText()).isEqualTo(JSON);
	}

	private boolean compressed(String target) throws IOException {
		TestExchange.CgiResponse response = this.fixture.serve(TestExchange.get(target).param("HTTP_ACCEPT_ENCODING", "gzip"));
		boolean compressed = "gzip".equals(response.header("Content-Encoding"));
		assertThat(compressed ? gunzip(response.body()) : response.bodyText()).isEqualTo(JSON);
		return compressed;
	}

	private static String gunzip(byte[] body) {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Inflates a gzip stream that has not ended yet: its 10-byte header, then raw deflate data. */
	private static String inflateWhatCame(byte[] partialGzip) {
		Inflater inflater = new Inflater(true);
		inflater.setInput(partialGzip, 10, partialGzip.length - 10);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] chunk = new byte[1024];
		try {
			int count;
			while ((count = inflater.inflate(chunk)) > 0) {
				out.write(chunk, 0, count);
			}
		}
		catch (DataFormatException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			inflater.end();
		}
		return out.toString(StandardCharsets.UTF_8);
	}

}
