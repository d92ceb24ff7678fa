package dev.fastcgi.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.protocol.DecodedEvent;
import dev.fastcgi.protocol.DecodedEvent.Begin;
import dev.fastcgi.protocol.DecodedEvent.Content;
import dev.fastcgi.protocol.DecodedEvent.Pair;
import dev.fastcgi.protocol.DecodedEvent.Params;
import dev.fastcgi.protocol.DecodedEvent.StreamEnd;
import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.EventRecorder;
import dev.fastcgi.protocol.ProtocolException;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordListener;
import dev.fastcgi.protocol.RecordType;
import dev.fastcgi.protocol.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records a {@link Request} is sent as, read back with the protocol's decoder.
 */
class RequestEncodingTests {

	/** Room for the large cookie below. */
	private static final DecoderLimits LIMITS = new DecoderLimits(1024 * 1024, 100, 100, 200_000, 8192);

	@Test
	void getSendsNginxParamsThenAnEmptyStdin() throws IOException {
		List<DecodedEvent> events = decode(Request.get("/shop/a%20b/%C3%A9?x=1&y=%20"), 1);
		assertThat(events).hasSize(3);
		assertThat(events.get(0)).isEqualTo(new Begin(1, Role.RESPONDER.code(), false));
		assertThat(pairs(events.get(1))).containsExactly(new Pair("QUERY_STRING", "x=1&y=%20"),
				new Pair("REQUEST_METHOD", "GET"), new Pair("CONTENT_TYPE", ""), new Pair("CONTENT_LENGTH", ""),
				new Pair("SCRIPT_NAME", utf8OnTheWire("/shop/a b/\u00e9")),
				new Pair("REQUEST_URI", "/shop/a%20b/%C3%A9?x=1&y=%20"),
				new Pair("DOCUMENT_URI", utf8OnTheWire("/shop/a b/\u00e9")), new Pair("DOCUMENT_ROOT", "/var/www/html"),
				new Pair("SERVER_PROTOCOL", "HTTP/1.1"), new Pair("REQUEST_SCHEME", "http"),
				new Pair("GATEWAY_INTERFACE", "CGI/1.1"), new Pair("SERVER_SOFTWARE", "fastcgi-spring-boot-client"),
				new Pair("REMOTE_ADDR", "127.0.0.1"), new Pair("REMOTE_PORT", "50000"), new Pair("REMOTE_USER", ""),
				new Pair("SERVER_ADDR", "127.0.0.1"), new Pair("SERVER_PORT", "80"), new Pair("SERVER_NAME", "localhost"),
				new Pair("REDIRECT_STATUS", "200"), new Pair("HTTP_HOST", "localhost"));
		assertThat(events.get(2)).isEqualTo(new StreamEnd(RecordType.STDIN, 1));
	}

	@Test
	void aTargetWithoutQueryHasAnEmptyQueryStringAndMalformedEscapesStayAsTheyAre() throws IOException {
		List<Pair> pairs = pairs(decode(Request.get("/100%/%zz/%4"), 1).get(1));
		assertThat(pairs).contains(new Pair("QUERY_STRING", ""), new Pair("SCRIPT_NAME", "/100%/%zz/%4"),
				new Pair("REQUEST_URI", "/100%/%zz/%4"));
	}

	@Test
	void postSendsTheBodyAsStdinWithItsTypeAndLength() throws IOException {
		List<DecodedEvent> events = decode(Request.post("/items", "application/json", bytes("{\"a\":1}")), 3);
		assertThat(pairs(events.get(1))).contains(new Pair("REQUEST_METHOD", "POST"),
				new Pair("CONTENT_TYPE", "application/json"), new Pair("CONTENT_LENGTH", "7"));
		assertThat(events.subList(2, events.size())).containsExactly(new Content(RecordType.STDIN, 3, "{\"a\":1}"),
				new StreamEnd(RecordType.STDIN, 3));
	}

	@Test
	void headersBecomeHttpParamsInOrderWithDuplicatesButOneHostTypeAndLength() throws IOException {
		Request request = Request.get("/").header("Accept-Language", "de").header("X-Forwarded-For", "10.0.0.1")
			.header("x-forwarded-for", "10.0.0.2").header("Host", "example.com:8080").header("Content-Type", "text/plain")
			.header("Content-Length", "0");
		List<Pair> pairs = pairs(decode(request, 1).get(1));
		assertThat(pairs).containsSubsequence(new Pair("CONTENT_TYPE", "text/plain"), new Pair("CONTENT_LENGTH", "0"),
				new Pair("HTTP_HOST", "example.com:8080"), new Pair("HTTP_ACCEPT_LANGUAGE", "de"),
				new Pair("HTTP_X_FORWARDED_FOR", "10.0.0.1"), new Pair("HTTP_X_FORWARDED_FOR", "10.0.0.2"));
		assertThat(pairs).filteredOn((pair) -> pair.name().equals("HTTP_HOST")).hasSize(1);
		assertThat(pairs).filteredOn((pair) -> pair.name().startsWith("CONTENT_")).hasSize(2);
	}

	@Test
	void paramsCanBeAddedSetAndRemoved() throws IOException {
		Request request = Request.empty().param("A", "1").param("B", "2").param("A", "3").setParam("A", "4")
			.setParam("C", "5").param("D", "6").removeParam("D");
		assertThat(pairs(decode(request, 1).get(1))).containsExactly(new Pair("A", "4"), new Pair("B", "2"),
				new Pair("C", "5"));
	}

	@Test
	void paramsGoOnTheWireAsUtf8() throws IOException {
		Request request = Request.empty().param("X_NAME", "J\u00fcrgen \u20ac");
		assertThat(pairs(decode(request, 1).get(1))).containsExactly(new Pair("X_NAME", utf8OnTheWire("J\u00fcrgen \u20ac")));
	}

	@Test
	void keepConnectionAndRoleGoIntoBeginRequest() throws IOException {
		Request request = Request.empty().role(Role.FILTER).keepConnection(true);
		assertThat(decode(request, 65535).get(0)).isEqualTo(new Begin(65535, Role.FILTER.code(), true));
	}

	@Test
	void anAuthorizerGetsParamsOnlyWithoutContentLengthAndScriptName() throws IOException {
		List<DecodedEvent> events = decode(Request.authorizer("DELETE", "/admin/x"), 1);
		assertThat(events).hasSize(2);
		assertThat(events.get(0)).isEqualTo(new Begin(1, Role.AUTHORIZER.code(), false));
		assertThat(pairs(events.get(1))).contains(new Pair("REQUEST_METHOD", "DELETE"), new Pair("REQUEST_URI", "/admin/x"))
			.extracting(Pair::name)
			.doesNotContain("CONTENT_LENGTH", "SCRIPT_NAME");
	}

	@Test
	void anAuthorizerWithABodySendsIt() throws IOException {
		List<DecodedEvent> events = decode(Request.authorizer("POST", "/").body(bytes("b")), 1);
		assertThat(events.subList(2, events.size())).containsExactly(new Content(RecordType.STDIN, 1, "b"),
				new StreamEnd(RecordType.STDIN, 1));
	}

	@Test
	void aFilterGetsItsDataStreamAfterStdin() throws IOException {
		List<DecodedEvent> events = decode(Request.post("/f", "text/plain", bytes("in")).role(Role.FILTER)
			.data(bytes("file")), 1);
		assertThat(pairs(events.get(1))).contains(new Pair("FCGI_DATA_LENGTH", "4"));
		assertThat(events.subList(2, events.size())).containsExactly(new Content(RecordType.STDIN, 1, "in"),
				new StreamEnd(RecordType.STDIN, 1), new Content(RecordType.DATA, 1, "file"),
				new StreamEnd(RecordType.DATA, 1));
	}

	@Test
	void aFilterWithoutDataSendsAnEmptyDataStream() throws IOException {
		List<DecodedEvent> events = decode(Request.get("/f").role(Role.FILTER), 1);
		assertThat(events.subList(2, events.size())).containsExactly(new StreamEnd(RecordType.STDIN, 1),
				new StreamEnd(RecordType.DATA, 1));
	}

	@Test
	void aStreamedBodyGoesOutARecordPerReadWithAnEmptyContentLength() throws IOException {
		InputStream body = new ByteArrayInputStream(bytes("abcdefghij")) {

			@Override
			public synchronized int read(byte[] target, int offset, int length) {
				return super.read(target, offset, Math.min(length, 4));
			}

		};
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Request.post("/upload", "text/plain", new byte[0]).body(body).writeTo(1, out);
		List<String> stdinRecords = new ArrayList<>();
		RecordDecoder decoder = new RecordDecoder(DecoderLimits.DEFAULTS, new RecordListener() {

			@Override
			public void onStreamContent(RecordType type, int requestId, ByteBuffer content) {
				if (type == RecordType.STDIN) {
					stdinRecords.add(StandardCharsets.ISO_8859_1.decode(content).toString());
				}
			}

		});
		try {
			decoder.decode(ByteBuffer.wrap(out.toByteArray()));
		}
		catch (ProtocolException ex) {
			throw new AssertionError(ex);
		}
		assertThat(stdinRecords).containsExactly("abcd", "efgh", "ij");
		assertThat(pairs(decode(out.toByteArray()).get(1))).contains(new Pair("CONTENT_LENGTH", ""));
	}

	@Test
	void paramsLargerThanARecordSpanSeveral() throws IOException {
		String cookie = "c".repeat(100_000);
		List<DecodedEvent> events = decode(Request.empty().param("HTTP_COOKIE", cookie), 1);
		assertThat(pairs(events.get(1))).containsExactly(new Pair("HTTP_COOKIE", cookie));
	}

	private static List<DecodedEvent> decode(Request request, int requestId) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		request.writeTo(requestId, out);
		return decode(out.toByteArray());
	}

	private static List<DecodedEvent> decode(byte[] bytes) {
		EventRecorder recorder = new EventRecorder(LIMITS);
		RecordDecoder decoder = new RecordDecoder(LIMITS, recorder);
		try {
			decoder.decode(ByteBuffer.wrap(bytes));
			decoder.endOfInput();
		}
		catch (ProtocolException ex) {
			throw new AssertionError(ex);
		}
		return recorder.events();
	}

	private static List<Pair> pairs(DecodedEvent event) {
		assertThat(event).isInstanceOf(Params.class);
		return ((Params) event).pairs();
	}

	/** How the server's decoder, one char per byte, sees the UTF-8 encoding of the text. */
	private static String utf8OnTheWire(String text) {
		return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
