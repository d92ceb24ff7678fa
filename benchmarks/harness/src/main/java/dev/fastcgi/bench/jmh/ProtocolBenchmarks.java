package dev.fastcgi.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.NameValueDecoder;
import dev.fastcgi.protocol.NameValueEncoder;
import dev.fastcgi.protocol.ProtocolException;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecentStrings;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordListener;
import dev.fastcgi.protocol.RecordType;
import dev.fastcgi.protocol.Role;
import dev.fastcgi.server.Params;

/**
 * The protocol layer on its own: what one request costs to decode and one response to encode,
 * in time and in bytes allocated (run with {@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProtocolBenchmarks {

	/** The server reads the socket 32 KB at a time. */
	private static final int READ_SIZE = 32 * 1024;

	private byte[] beginAndParams;

	private byte[] stdin64k;

	private byte[] responseHead;

	private byte[] smallBody;

	private byte[] body100k;

	private Listener listener;

	/** Shared by the requests of a server. */
	private final RecentStrings recentStrings = new RecentStrings();

	private RecordDecoder decoder;

	@Setup(Level.Trial)
	public void setUp() {
		this.beginAndParams = concat(RecordEncoder.beginRequest(1, Role.RESPONDER, true),
				RecordEncoder.records(RecordType.PARAMS, 1, nginxParams()), RecordEncoder.streamEnd(RecordType.PARAMS, 1));
		byte[] body = new byte[64 * 1024];
		Arrays.fill(body, (byte) 'x');
		this.stdin64k = concat(RecordEncoder.records(RecordType.STDIN, 1, body), RecordEncoder.streamEnd(RecordType.STDIN, 1));
		this.responseHead = "Status: 200\r\nContent-Type: application/json\r\nContent-Length: 45\r\n\r\n"
			.getBytes(StandardCharsets.ISO_8859_1);
		this.smallBody = "{\"message\":\"Hello, World!\",\"id\":42,\"ok\":true}".getBytes(StandardCharsets.ISO_8859_1);
		this.body100k = new byte[100 * 1024];
		this.listener = new Listener();
		this.decoder = new RecordDecoder(DecoderLimits.DEFAULTS, this.listener);
	}

	/**
	 * BEGIN_REQUEST and a typical nginx PARAMS stream (about 30 params, 1 KB) into a request's
	 * {@link Params}, as the server decodes them: names as shared strings, values kept as bytes
	 * until asked for.
	 */
	@Benchmark
	public Params decodeBeginAndParams(Blackhole blackhole) throws ProtocolException {
		this.listener.blackhole = blackhole;
		this.listener.decoder = new NameValueDecoder(DecoderLimits.DEFAULTS, this.recentStrings);
		this.listener.params = new Params(this.recentStrings);
		this.decoder.decode(ByteBuffer.wrap(this.beginAndParams));
		return this.listener.params;
	}

	/** A 64 KB body as STDIN records, read 32 KB at a time, the content handed on without a copy. */
	@Benchmark
	public long decodeStdin64k(Blackhole blackhole) throws ProtocolException {
		this.listener.blackhole = blackhole;
		this.listener.stdinBytes = 0;
		for (int offset = 0; offset < this.stdin64k.length; offset += READ_SIZE) {
			this.decoder.decode(ByteBuffer.wrap(this.stdin64k, offset, Math.min(READ_SIZE, this.stdin64k.length - offset)));
		}
		return this.listener.stdinBytes;
	}

	/** A small JSON response: the CGI head and body as STDOUT, the stream's end and END_REQUEST. */
	@Benchmark
	public void encodeSmallResponse(Blackhole blackhole) {
		byte[] content = concat(this.responseHead, this.smallBody);
		blackhole.consume(RecordEncoder.records(RecordType.STDOUT, 1, content));
		blackhole.consume(RecordEncoder.streamEnd(RecordType.STDOUT, 1));
		blackhole.consume(RecordEncoder.endRequest(1, 0, ProtocolStatus.REQUEST_COMPLETE));
	}

	/** A 100 KB body as STDOUT records, the stream's end and END_REQUEST. */
	@Benchmark
	public void encode100kResponse(Blackhole blackhole) {
		blackhole.consume(RecordEncoder.records(RecordType.STDOUT, 1, this.body100k));
		blackhole.consume(RecordEncoder.streamEnd(RecordType.STDOUT, 1));
		blackhole.consume(RecordEncoder.endRequest(1, 0, ProtocolStatus.REQUEST_COMPLETE));
	}

	/** What nginx sends for a browser's GET with the stock fastcgi_params. */
	static byte[] nginxParams() {
		return new NameValueEncoder().add("QUERY_STRING", "page=2&sort=name")
			.add("REQUEST_METHOD", "GET")
			.add("CONTENT_TYPE", "")
			.add("CONTENT_LENGTH", "")
			.add("SCRIPT_NAME", "/api/orders/list")
			.add("REQUEST_URI", "/api/orders/list?page=2&sort=name")
			.add("DOCUMENT_URI", "/api/orders/list")
			.add("DOCUMENT_ROOT", "/usr/share/nginx/html")
			.add("SERVER_PROTOCOL", "HTTP/1.1")
			.add("REQUEST_SCHEME", "https")
			.add("HTTPS", "on")
			.add("GATEWAY_INTERFACE", "CGI/1.1")
			.add("SERVER_SOFTWARE", "nginx/1.22.1")
			.add("REMOTE_ADDR", "203.0.113.17")
			.add("REMOTE_PORT", "51234")
			.add("REMOTE_USER", "")
			.add("SERVER_ADDR", "192.0.2.10")
			.add("SERVER_PORT", "443")
			.add("SERVER_NAME", "shop.example.com")
			.add("REDIRECT_STATUS", "200")
			.add("HTTP_HOST", "shop.example.com")
			.add("HTTP_USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
			.add("HTTP_ACCEPT", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
			.add("HTTP_ACCEPT_LANGUAGE", "en-US,en;q=0.5")
			.add("HTTP_ACCEPT_ENCODING", "gzip, deflate, br, zstd")
			.add("HTTP_REFERER", "https://shop.example.com/api/orders/list?page=1&sort=name")
			.add("HTTP_COOKIE", "SESSION=5f0c2a8e-1b7d-4c3a-9e8f-2d4b6a1c3e5f; theme=dark; consent=yes")
			.add("HTTP_CONNECTION", "keep-alive")
			.add("HTTP_UPGRADE_INSECURE_REQUESTS", "1")
			.add("HTTP_SEC_FETCH_DEST", "document")
			.add("HTTP_SEC_FETCH_MODE", "navigate")
			.add("HTTP_SEC_FETCH_SITE", "same-origin")
			.toByteArray();
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	/** Feeds PARAMS to the request's name-value decoder, as the server does. */
	private static final class Listener implements RecordListener {

		Blackhole blackhole;

		NameValueDecoder decoder;

		Params params;

		long stdinBytes;

		@Override
		public void onBeginRequest(int requestId, int roleCode, boolean keepConnection) {
			this.blackhole.consume(roleCode);
		}

		@Override
		public void onStreamContent(RecordType type, int requestId, ByteBuffer content) throws ProtocolException {
			if (type == RecordType.PARAMS) {
				this.params.reserve(content.remaining());
				this.decoder.decodeRaw(content, this.params::add);
			}
			else {
				this.blackhole.consume(content);
				this.stdinBytes += content.remaining();
			}
		}

		@Override
		public void onStreamEnd(RecordType type, int requestId) throws ProtocolException {
			if (type == RecordType.PARAMS) {
				this.decoder.finish();
			}
		}

	}

}
