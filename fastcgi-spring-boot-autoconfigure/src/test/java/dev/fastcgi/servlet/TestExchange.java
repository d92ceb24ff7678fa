package dev.fastcgi.servlet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.fastcgi.protocol.Role;
import dev.fastcgi.server.FastCgiExchange;
import dev.fastcgi.server.Params;
import dev.fastcgi.server.RequestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An in-memory exchange: params given up front, STDIN from a byte array (handed out in reads of
 * at most {@code chunkSize} bytes), STDOUT into a byte array that can be parsed back into a CGI
 * response.
 */
class TestExchange implements FastCgiExchange {

	private final Map<String, String> params = new LinkedHashMap<>();

	private final Role role;

	private byte[] body = new byte[0];

	private int chunkSize = Integer.MAX_VALUE;

	private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

	private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

	private final List<Runnable> abortCallbacks = new ArrayList<>();

	private volatile boolean aborted;

	private int flushCount;

	private boolean brokenOff;

	/** Arrays lent by {@link #borrowBuffer} and not given back yet. */
	private final Set<byte[]> lentBuffers = Collections.newSetFromMap(new IdentityHashMap<>());

	TestExchange() {
		this(Role.RESPONDER);
	}

	TestExchange(Role role) {
		this.role = role;
	}

	/** A GET of the target with typical nginx params. */
	static TestExchange get(String target) {
		return request("GET", target);
	}

	static TestExchange request(String method, String target) {
		int question = target.indexOf('?');
		return new TestExchange().param("REQUEST_METHOD", method)
			.param("REQUEST_URI", target)
			.param("QUERY_STRING", (question >= 0) ? target.substring(question + 1) : "")
			.param("SERVER_PROTOCOL", "HTTP/1.1")
			.param("REQUEST_SCHEME", "http")
			.param("SERVER_NAME", "example.com")
			.param("SERVER_PORT", "80")
			.param("SERVER_ADDR", "127.0.0.1")
			.param("REMOTE_ADDR", "192.0.2.1")
			.param("REMOTE_PORT", "50000")
			.param("HTTP_HOST", "example.com");
	}

	/** Sets a param, replacing the value {@link #request} or an earlier call gave it. */
	TestExchange param(String name, String value) {
		this.params.put(name, value);
		return this;
	}

	/** Sets a UTF-8 param the way a web server sends it: one char per byte. */
	TestExchange utf8Param(String name, String value) {
		return param(name, new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
	}

	TestExchange body(String contentType, byte[] body) {
		this.body = body;
		return param("CONTENT_TYPE", contentType).param("CONTENT_LENGTH", Integer.toString(body.length));
	}

	TestExchange body(String contentType, String body) {
		return body(contentType, body.getBytes(StandardCharsets.UTF_8));
	}

	TestExchange chunkSize(int chunkSize) {
		this.chunkSize = chunkSize;
		return this;
	}

	void abort() {
		this.aborted = true;
		List<Runnable> callbacks;
		synchronized (this) {
			callbacks = List.copyOf(this.abortCallbacks);
		}
		callbacks.forEach(Runnable::run);
	}

	/** How many arrays {@link #borrowBuffer} lent that were not given back. */
	synchronized int buffersLent() {
		return this.lentBuffers.size();
	}

	@Override
	public synchronized byte[] borrowBuffer(int length) {
		byte[] buffer = new byte[length + 100];
		this.lentBuffers.add(buffer);
		return buffer;
	}

	/** Scribbles over the array, as the next request it is lent to would: a response still using it shows. */
	@Override
	public synchronized void releaseBuffer(byte[] buffer) {
		assertThat(this.lentBuffers.remove(buffer)).as("an array lent by this exchange").isTrue();
		Arrays.fill(buffer, (byte) '#');
	}

	int flushCount() {
		return this.flushCount;
	}

	byte[] output() {
		return this.stdout.toByteArray();
	}

	CgiResponse response() {
		return CgiResponse.parse(output());
	}

	@Override
	public int requestId() {
		return 1;
	}

	@Override
	public Role role() {
		return this.role;
	}

	@Override
	public boolean keepConnection() {
		return false;
	}

	@Override
	public Params params() {
		Params params = new Params();
		this.params.forEach(params::add);
		return params;
	}

	@Override
	public InputStream stdin() {
		return new FilterInputStream(new ByteArrayInputStream(this.body)) {
			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				return super.read(b, off, Math.min(len, TestExchange.this.chunkSize));
			}
		};
	}

	@Override
	public InputStream data() {
		return InputStream.nullInputStream();
	}

	@Override
	public OutputStream stdout() {
		return new OutputStream() {
			@Override
			public void write(int b) throws IOException {
				checkNotAborted();
				TestExchange.this.stdout.write(b);
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				checkNotAborted();
				TestExchange.this.stdout.write(b, off, len);
			}

			@Override
			public void flush() throws IOException {
				checkNotAborted();
				TestExchange.this.flushCount++;
			}
		};
	}

	private void checkNotAborted() throws IOException {
		if (this.aborted) {
			throw new RequestAbortedException("Aborted");
		}
	}

	@Override
	public OutputStream stderr() {
		return this.stderr;
	}

	@Override
	public void setAppStatus(int appStatus) {
	}

	@Override
	public void breakOff() {
		this.brokenOff = true;
	}

	/** Whether the handler asked for the response to be broken off. */
	boolean brokenOff() {
		return this.brokenOff;
	}

	@Override
	public boolean isAborted() {
		return this.aborted;
	}

	@Override
	public synchronized void onAbort(Runnable callback) {
		if (this.aborted) {
			callback.run();
		}
		else {
			this.abortCallbacks.add(callback);
		}
	}

	/** A CGI response parsed back: status, headers (lower-case names), body. */
	record CgiResponse(int status, String statusLine, Map<String, List<String>> headers, byte[] body) {

		static CgiResponse parse(byte[] output) {
			String text = new String(output, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			if (end < 0) {
				throw new IllegalStateException("No header block in " + text);
			}
			Map<String, List<String>> headers = new LinkedHashMap<>();
			String statusLine = null;
			for (String line : text.substring(0, end).split("\r\n")) {
				int colon = line.indexOf(':');
				String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
				String value = line.substring(colon + 1).trim();
				if (name.equals("status")) {
					statusLine = value;
				}
				else {
					headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
				}
			}
			byte[] body = new byte[output.length - end - 4];
			System.arraycopy(output, end + 4, body, 0, body.length);
			return new CgiResponse(Integer.parseInt(statusLine.substring(0, 3)), statusLine, headers, body);
		}

		String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null) ? values.get(0) : null;
		}

		String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}
