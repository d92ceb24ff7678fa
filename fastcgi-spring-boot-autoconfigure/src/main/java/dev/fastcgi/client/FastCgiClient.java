package dev.fastcgi.client;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.NameValueEncoder;
import dev.fastcgi.protocol.ProtocolException;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;
import dev.fastcgi.protocol.Role;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.LinkedCaseInsensitiveMap;

/**
 * A small blocking FastCGI client: the web server's side of the protocol, for testing an
 * application over the real wire format instead of through mocks.
 *
 * <pre class="code">
 * try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", 9000)) {
 *     FastCgiClient.Response response = client.send(FastCgiClient.Request.get("/hello?name=world"));
 *     assertThat(response.status()).isEqualTo(200);
 *     assertThat(response.bodyAsString()).isEqualTo("Hello world");
 * }
 * </pre>
 *
 * A request without {@link Request#keepConnection(boolean) keepConnection} gets a connection of
 * its own, closed once its response is complete, as lighttpd and plain nginx do; with it the
 * connection is kept and the next request reuses it. Requests {@link #start started} while others
 * are in flight share their connection under distinct request ids (multiplexing). Every wait for
 * the server is bounded by the {@link #readTimeout(Duration) read timeout}.
 * <p>
 * Not thread-safe: use one client per thread.
 */
public final class FastCgiClient implements Closeable {

	/** How long any read waits for the server unless {@link #readTimeout(Duration)} says otherwise. */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

	private final SocketAddress address;

	private Duration readTimeout = DEFAULT_READ_TIMEOUT;

	private ClientConnection connection;

	private int connectionsOpened;

	private FastCgiClient(SocketAddress address) {
		this.address = address;
	}

	/** A client for an application server listening on TCP. */
	public static FastCgiClient tcp(String host, int port) {
		return new FastCgiClient(new InetSocketAddress(host, port));
	}

	/** A client for an application server listening on a UNIX socket file. */
	public static FastCgiClient unix(Path socket) {
		return new FastCgiClient(UnixDomainSocketAddress.of(socket));
	}

	/**
	 * Sets how long connecting, each read and each write may wait for the server before failing
	 * with a {@link SocketTimeoutException}; applies to connections opened afterwards.
	 * @return this client
	 */
	public FastCgiClient readTimeout(Duration timeout) {
		Assert.isTrue(timeout.toMillis() > 0, "The read timeout must be at least a millisecond");
		this.readTimeout = timeout;
		return this;
	}

	/** Sends the request and waits for its complete response. */
	public Response send(Request request) throws IOException {
		return start(request).await();
	}

	/**
	 * Sends all requests at once on one connection, multiplexed under request ids 1, 2, ..., then
	 * waits for all their responses. Give the requests {@link Request#keepConnection(boolean)
	 * keepConnection} unless the server is meant to close the connection after the first.
	 * @return the responses in the order of the requests
	 */
	public List<Response> sendAll(List<Request> requests) throws IOException {
		List<Exchange> exchanges = new ArrayList<>();
		for (Request request : requests) {
			exchanges.add(start(request));
		}
		List<Response> responses = new ArrayList<>();
		for (Exchange exchange : exchanges) {
			responses.add(exchange.await());
		}
		return responses;
	}

	/**
	 * Sends the request (head and whole body) and returns without waiting for the response, which
	 * can then be streamed, aborted or awaited. The request goes on the connection of the requests
	 * in flight or kept, under the lowest request id free there, or on a new connection.
	 */
	public Exchange start(Request request) throws IOException {
		ClientConnection connection = connection();
		try {
			return new Exchange(connection, connection.start(request), request.keepConnection);
		}
		catch (IOException | RuntimeException ex) {
			failed(connection);
			throw ex;
		}
	}

	/**
	 * Asks the server for the values of the named variables ({@code FCGI_MAX_CONNS},
	 * {@code FCGI_MAX_REQS}, {@code FCGI_MPXS_CONNS}) with {@code FCGI_GET_VALUES}, on the kept
	 * connection if there is one, else on a connection of its own.
	 * @return the names and values the server answered, in its order
	 */
	public Map<String, String> getValues(String... names) throws IOException {
		if (this.connection != null && this.connection.isUsable()) {
			return this.connection.getValues(names);
		}
		try (ClientConnection own = open()) {
			return own.getValues(names);
		}
	}

	/**
	 * Opens a connection of its own for sending arbitrary bytes, hostile or malformed ones
	 * included, and reading back whatever the server makes of them.
	 * <pre class="code">
	 * try (FastCgiClient.RawConnection raw = client.openRaw()) {
	 *     raw.write(bytes);
	 *     FastCgiClient.RawReply reply = raw.read(Duration.ofSeconds(1));
	 *     assertThat(reply.ending()).isEqualTo(FastCgiClient.RawReply.Ending.CLOSED);
	 * }
	 * </pre>
	 */
	public RawConnection openRaw() throws IOException {
		return new RawConnection(this.address, this.readTimeout);
	}

	/** How many connections this client has opened so far; tells whether keep-alive reused one. */
	public int connectionsOpened() {
		return this.connectionsOpened;
	}

	/** Closes the kept connection, if any. */
	@Override
	public void close() throws IOException {
		if (this.connection != null) {
			ClientConnection kept = this.connection;
			this.connection = null;
			kept.close();
		}
	}

	private ClientConnection connection() throws IOException {
		if (this.connection != null && !this.connection.isUsable()) {
			close();
		}
		if (this.connection == null) {
			this.connection = open();
		}
		return this.connection;
	}

	private ClientConnection open() throws IOException {
		ClientConnection opened = ClientConnection.open(this.address, this.readTimeout);
		this.connectionsOpened++;
		return opened;
	}

	private void finished(ClientConnection finished, boolean keepConnection) throws IOException {
		if (!finished.hasRequestsInFlight() && (!keepConnection || finished != this.connection)) {
			failed(finished);
		}
	}

	private void failed(ClientConnection failed) throws IOException {
		if (failed == this.connection) {
			this.connection = null;
		}
		failed.close();
	}

	/**
	 * A FastCGI request as nginx would send it, built step by step. Params are sent in the order
	 * given, duplicates included; names and values go on the wire as UTF-8. A request with an
	 * {@link #body(InputStream) InputStream body} can be sent once.
	 */
	public static final class Request {

		private Role role = Role.RESPONDER;

		private final List<Param> params = new ArrayList<>();

		private boolean keepConnection;

		private byte[] body;

		private InputStream bodyStream;

		private byte[] data;

		private Request() {
		}

		/** A responder request without any params, for building one from scratch. */
		public static Request empty() {
			return new Request();
		}

		/** A GET for the target (path and optional query, raw as in a request line). */
		public static Request get(String target) {
			return of("GET", target);
		}

		/** A POST of the body with the given content type. */
		public static Request post(String target, String contentType, byte[] body) {
			return of("POST", target).header("Content-Type", contentType).body(body);
		}

		/**
		 * A responder request with the params nginx's stock {@code fastcgi_params} send for the
		 * method and target (path and optional query, raw as in a request line), for a client at
		 * 127.0.0.1 asking {@code http://localhost/}: QUERY_STRING, REQUEST_METHOD, CONTENT_TYPE and
		 * CONTENT_LENGTH (empty until set), SCRIPT_NAME and DOCUMENT_URI (the decoded path),
		 * REQUEST_URI, DOCUMENT_ROOT, SERVER_PROTOCOL, REQUEST_SCHEME, GATEWAY_INTERFACE,
		 * SERVER_SOFTWARE, REMOTE_ADDR, REMOTE_PORT, REMOTE_USER (empty), SERVER_ADDR, SERVER_PORT,
		 * SERVER_NAME, REDIRECT_STATUS and HTTP_HOST.
		 */
		public static Request of(String method, String target) {
			int question = target.indexOf('?');
			String path = (question < 0) ? target : target.substring(0, question);
			String decodedPath = decodePath(path);
			return new Request().param("QUERY_STRING", (question < 0) ? "" : target.substring(question + 1))
				.param("REQUEST_METHOD", method)
				.param("CONTENT_TYPE", "")
				.param("CONTENT_LENGTH", "")
				.param("SCRIPT_NAME", decodedPath)
				.param("REQUEST_URI", target)
				.param("DOCUMENT_URI", decodedPath)
				.param("DOCUMENT_ROOT", "/var/www/html")
				.param("SERVER_PROTOCOL", "HTTP/1.1")
				.param("REQUEST_SCHEME", "http")
				.param("GATEWAY_INTERFACE", "CGI/1.1")
				.param("SERVER_SOFTWARE", "fastcgi-spring-boot-client")
				.param("REMOTE_ADDR", "127.0.0.1")
				.param("REMOTE_PORT", "50000")
				.param("REMOTE_USER", "")
				.param("SERVER_ADDR", "127.0.0.1")
				.param("SERVER_PORT", "80")
				.param("SERVER_NAME", "localhost")
				.param("REDIRECT_STATUS", "200")
				.param("HTTP_HOST", "localhost");
		}

		/**
		 * An authorizer request for the method and target: the params of {@link #of} without
		 * CONTENT_LENGTH and SCRIPT_NAME, which web servers do not send to an authorizer, and no
		 * STDIN.
		 */
		public static Request authorizer(String method, String target) {
			return of(method, target).role(Role.AUTHORIZER).removeParam("CONTENT_LENGTH").removeParam("SCRIPT_NAME");
		}

		/** Sets the role asked for in {@code FCGI_BEGIN_REQUEST}; {@link Role#RESPONDER} unless set. */
		public Request role(Role role) {
			Assert.notNull(role, "Role must not be null");
			this.role = role;
			return this;
		}

		/** Adds a param after those already there, even when one of that name exists. */
		public Request param(String name, String value) {
			this.params.add(new Param(name, value));
			return this;
		}

		/**
		 * Sets a param to a single value: the first of that name takes the value, later ones are
		 * removed; added at the end when there is none.
		 */
		public Request setParam(String name, String value) {
			int first = indexOf(name);
			if (first < 0) {
				return param(name, value);
			}
			removeParam(name);
			this.params.add(first, new Param(name, value));
			return this;
		}

		/** Removes every param of that name. */
		public Request removeParam(String name) {
			this.params.removeIf((param) -> param.name.equals(name));
			return this;
		}

		/**
		 * Adds a request header as nginx forwards it: {@code HTTP_} and the name upper-cased with
		 * dashes as underscores, after those already there. {@code Host}, {@code Content-Type} and
		 * {@code Content-Length} set HTTP_HOST, CONTENT_TYPE and CONTENT_LENGTH instead, since a
		 * request has one of each.
		 */
		public Request header(String name, String value) {
			if (name.equalsIgnoreCase("Content-Type")) {
				return setParam("CONTENT_TYPE", value);
			}
			if (name.equalsIgnoreCase("Content-Length")) {
				return setParam("CONTENT_LENGTH", value);
			}
			String param = "HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
			return name.equalsIgnoreCase("Host") ? setParam(param, value) : param(param, value);
		}

		/** Sets the body sent as STDIN and CONTENT_LENGTH to its length. */
		public Request body(byte[] body) {
			Assert.notNull(body, "Body must not be null");
			this.body = body;
			this.bodyStream = null;
			return setParam("CONTENT_LENGTH", Integer.toString(body.length));
		}

		/**
		 * Sets a body streamed as STDIN records as it is read, and CONTENT_LENGTH to an empty value,
		 * as nginx does for a chunked request body it does not buffer ({@code removeParam} imitates
		 * Apache, which sends none). The stream is read to its end but not closed.
		 */
		public Request body(InputStream body) {
			Assert.notNull(body, "Body must not be null");
			this.bodyStream = body;
			this.body = null;
			return setParam("CONTENT_LENGTH", "");
		}

		/**
		 * Sets the DATA stream of the filter role (the file to filter) and FCGI_DATA_LENGTH to its
		 * length. A filter request without data sends an empty DATA stream.
		 */
		public Request data(byte[] data) {
			Assert.notNull(data, "Data must not be null");
			this.data = data;
			return setParam("FCGI_DATA_LENGTH", Integer.toString(data.length));
		}

		/**
		 * Sets {@code FCGI_KEEP_CONN}: whether the server keeps the connection open after the
		 * response, for the client to reuse. Off unless set.
		 */
		public Request keepConnection(boolean keepConnection) {
			this.keepConnection = keepConnection;
			return this;
		}

		/**
		 * Writes the request's records: BEGIN_REQUEST, PARAMS, STDIN (not for an authorizer without
		 * a body), DATA (for a filter or when set), each stream ended by its empty record.
		 */
		void writeTo(int requestId, OutputStream out) throws IOException {
			out.write(RecordEncoder.beginRequest(requestId, this.role, this.keepConnection));
			NameValueEncoder pairs = new NameValueEncoder();
			for (Param param : this.params) {
				pairs.add(wireText(param.name), wireText(param.value));
			}
			out.write(RecordEncoder.records(RecordType.PARAMS, requestId, pairs.toByteArray()));
			out.write(RecordEncoder.streamEnd(RecordType.PARAMS, requestId));
			boolean hasBody = this.body != null || this.bodyStream != null;
			if (this.role != Role.AUTHORIZER || hasBody) {
				if (this.bodyStream != null) {
					byte[] buffer = new byte[RecordEncoder.MAX_CONTENT_LENGTH];
					int count;
					while ((count = this.bodyStream.read(buffer)) != -1) {
						out.write(RecordEncoder.records(RecordType.STDIN, requestId, buffer, 0, count));
					}
				}
				else if (this.body != null) {
					out.write(RecordEncoder.records(RecordType.STDIN, requestId, this.body));
				}
				out.write(RecordEncoder.streamEnd(RecordType.STDIN, requestId));
			}
			if (this.role == Role.FILTER || this.data != null) {
				if (this.data != null) {
					out.write(RecordEncoder.records(RecordType.DATA, requestId, this.data));
				}
				out.write(RecordEncoder.streamEnd(RecordType.DATA, requestId));
			}
		}

		private int indexOf(String name) {
			for (int i = 0; i < this.params.size(); i++) {
				if (this.params.get(i).name.equals(name)) {
					return i;
				}
			}
			return -1;
		}

		/** The protocol layer writes one byte per char; this makes those bytes the UTF-8 encoding. */
		private static String wireText(String text) {
			return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
		}

		/** Percent-decodes a path as nginx does for SCRIPT_NAME; a malformed escape stays as it is. */
		private static String decodePath(String path) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			int literalStart = 0;
			for (int i = 0; i + 2 < path.length(); i++) {
				if (path.charAt(i) == '%' && HexFormat.isHexDigit(path.charAt(i + 1))
						&& HexFormat.isHexDigit(path.charAt(i + 2))) {
					bytes.writeBytes(path.substring(literalStart, i).getBytes(StandardCharsets.UTF_8));
					bytes.write(HexFormat.fromHexDigits(path, i + 1, i + 3));
					i += 2;
					literalStart = i + 1;
				}
			}
			bytes.writeBytes(path.substring(literalStart).getBytes(StandardCharsets.UTF_8));
			return bytes.toString(StandardCharsets.UTF_8);
		}

		private record Param(String name, String value) {

			Param {
				Assert.notNull(name, "Param name must not be null");
				Assert.notNull(value, "Param value must not be null");
			}

		}

	}

	/**
	 * A complete response: what {@code FCGI_END_REQUEST} said, the raw STDOUT and STDERR, and
	 * STDOUT read as a CGI response (header lines, a blank line ending in {@code \n} or
	 * {@code \r\n}, the body).
	 */
	public static final class Response {

		private final int requestId;

		private final long appStatus;

		private final int protocolStatusCode;

		private final byte[] stdout;

		private final String stderr;

		private final Map<String, List<String>> headers;

		private final byte[] body;

		Response(int requestId, long appStatus, int protocolStatusCode, byte[] stdout, String stderr) {
			this.requestId = requestId;
			this.appStatus = appStatus;
			this.protocolStatusCode = protocolStatusCode;
			this.stdout = stdout;
			this.stderr = stderr;
			Map<String, List<String>> headers = new LinkedCaseInsensitiveMap<>(Locale.ROOT);
			int lineStart = 0;
			for (int i = 0; i < stdout.length; i++) {
				if (stdout[i] == '\n') {
					int lineEnd = (i > lineStart && stdout[i - 1] == '\r') ? i - 1 : i;
					if (lineEnd == lineStart) {
						headers.replaceAll((name, values) -> List.copyOf(values));
						this.headers = Collections.unmodifiableMap(headers);
						this.body = Arrays.copyOfRange(stdout, i + 1, stdout.length);
						return;
					}
					String line = new String(stdout, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
					int colon = line.indexOf(':');
					if (colon > 0) {
						headers.computeIfAbsent(line.substring(0, colon).trim(), (name) -> new ArrayList<>())
							.add(line.substring(colon + 1).trim());
					}
					lineStart = i + 1;
				}
			}
			this.headers = Map.of();
			this.body = stdout;
		}

		/** The request id the response came under. */
		public int requestId() {
			return this.requestId;
		}

		/** The application status of {@code FCGI_END_REQUEST}, 0 to 2<sup>32</sup>-1. */
		public long appStatus() {
			return this.appStatus;
		}

		/**
		 * The protocol status of {@code FCGI_END_REQUEST}, or {@code null} for a code FastCGI 1.0
		 * does not define.
		 */
		public ProtocolStatus protocolStatus() {
			for (ProtocolStatus status : ProtocolStatus.values()) {
				if (status.code() == this.protocolStatusCode) {
					return status;
				}
			}
			return null;
		}

		/**
		 * All of STDOUT, header block included, as received; without what was already read
		 * through {@link Exchange#stdout()}.
		 */
		public byte[] stdout() {
			return this.stdout.clone();
		}

		/** STDERR decoded as UTF-8; empty when the application wrote none. */
		public String stderr() {
			return this.stderr;
		}

		/**
		 * The HTTP status: the number at the start of the {@code Status} header, 200 without one.
		 * @throws IllegalStateException when the Status header does not start with a number
		 */
		public int status() {
			String status = header("Status");
			if (status == null) {
				return 200;
			}
			int end = status.indexOf(' ');
			try {
				return Integer.parseInt((end < 0) ? status : status.substring(0, end));
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("Malformed Status header '" + status + "'", ex);
			}
		}

		/**
		 * The CGI header lines by name (case-insensitive), each name with its values in order,
		 * {@code Status} included; empty when STDOUT has no blank line ending a header block.
		 */
		public Map<String, List<String>> headers() {
			return this.headers;
		}

		/** The first value of the header, or {@code null}. */
		public String header(String name) {
			List<String> values = this.headers.get(name);
			return (values != null) ? values.get(0) : null;
		}

		/** All values of the header in order, or an empty list. */
		public List<String> headers(String name) {
			return this.headers.getOrDefault(name, List.of());
		}

		/** STDOUT after the header block; all of it when there is no header block. */
		public byte[] body() {
			return this.body.clone();
		}

		/** The body decoded with the charset of the Content-Type header, UTF-8 without one. */
		public String bodyAsString() {
			Charset charset = StandardCharsets.UTF_8;
			String contentType = header("Content-Type");
			if (contentType != null) {
				try {
					Charset declared = MediaType.parseMediaType(contentType).getCharset();
					charset = (declared != null) ? declared : charset;
				}
				catch (InvalidMediaTypeException ex) {
					// a body of a malformed type is still best read as UTF-8
				}
			}
			return new String(this.body, charset);
		}

		@Override
		public String toString() {
			return "Response of request " + this.requestId + ": app status " + this.appStatus + ", protocol status "
					+ this.protocolStatusCode + ", headers " + this.headers + ", " + this.body.length + " body bytes"
					+ (this.stderr.isEmpty() ? "" : ", stderr '" + this.stderr + "'");
		}

	}

	/**
	 * A request sent and not yet awaited: its STDOUT can be read as it arrives, it can be
	 * aborted, and its response awaited.
	 */
	public final class Exchange {

		private final ClientConnection connection;

		private final Reply reply;

		private final boolean keepConnection;

		private final InputStream stdout = new InputStream() {

			@Override
			public int read() throws IOException {
				byte[] one = new byte[1];
				return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
			}

			@Override
			public int read(byte[] target, int offset, int length) throws IOException {
				if (length == 0) {
					return 0;
				}
				while (!Exchange.this.reply.hasUnreadStdout()) {
					if (Exchange.this.reply.isStdoutComplete()) {
						return -1;
					}
					receive("STDOUT of request " + requestId());
				}
				return Exchange.this.reply.readStdout(target, offset, length);
			}

		};

		private Response response;

		private Exchange(ClientConnection connection, Reply reply, boolean keepConnection) {
			this.connection = connection;
			this.reply = reply;
			this.keepConnection = keepConnection;
		}

		/** The request id the request was sent under. */
		public int requestId() {
			return this.reply.requestId();
		}

		/**
		 * STDOUT content as it arrives, header block included, for reading a streamed response
		 * (server-sent events, say) before it is complete; ends with STDOUT's empty record. Bytes
		 * read here are not repeated in the response {@link #await()} returns.
		 */
		public InputStream stdout() {
			return this.stdout;
		}

		/** Sends {@code FCGI_ABORT_REQUEST} for the request; the server still ends it with a response. */
		public void abort() throws IOException {
			try {
				this.connection.abort(requestId());
			}
			catch (IOException ex) {
				failed(this.connection);
				throw ex;
			}
		}

		/** Waits for {@code FCGI_END_REQUEST} and returns the response; the same one when called again. */
		public Response await() throws IOException {
			if (this.response == null) {
				while (!this.reply.isEnded()) {
					receive("FCGI_END_REQUEST of request " + requestId());
				}
				this.response = this.reply.toResponse();
				finished(this.connection, this.keepConnection);
			}
			return this.response;
		}

		private void receive(String awaited) throws IOException {
			try {
				this.connection.receive(awaited);
			}
			catch (IOException ex) {
				failed(this.connection);
				throw ex;
			}
		}

	}

	/** A record with request id 0 from the server: {@code FCGI_GET_VALUES_RESULT}, {@code FCGI_UNKNOWN_TYPE}... */
	public record ManagementRecord(RecordType type, int typeCode, byte[] content) {
	}

	/**
	 * A connection for arbitrary bytes: what is written goes out as it is, what comes back is
	 * kept, even while writing, until {@link #read(Duration) read}.
	 */
	public static final class RawConnection implements Closeable {

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		private final Duration timeout;

		private final Transport transport;

		private RawReply.Ending ending;

		private RawConnection(SocketAddress address, Duration timeout) throws IOException {
			this.timeout = timeout;
			this.transport = Transport.connect(address, timeout, this::receive);
		}

		/**
		 * Writes the bytes as they are.
		 * @return {@code false} when the server closed or reset the connection before taking them
		 * all; {@code true} only says the operating system took them
		 * @throws SocketTimeoutException when the server takes no byte for the read timeout
		 */
		public boolean write(byte[] bytes) throws IOException {
			try {
				this.transport.write(ByteBuffer.wrap(bytes), this.timeout);
				return true;
			}
			catch (SocketTimeoutException ex) {
				throw ex;
			}
			catch (IOException ex) {
				return false;
			}
		}

		/** Half-closes the connection: the server reads the end of input, and can still answer. */
		public void shutdownOutput() throws IOException {
			this.transport.shutdownOutput();
		}

		/**
		 * Reads until the server closes or resets the connection, or sends nothing for the quiet
		 * period, and returns everything received since the connection opened.
		 */
		public RawReply read(Duration quietPeriod) throws IOException {
			while (this.ending == null) {
				try {
					Transport.ReadResult result = this.transport.read(quietPeriod);
					if (result == Transport.ReadResult.TIMED_OUT) {
						return RawReply.decode(this.received.toByteArray(), RawReply.Ending.QUIET);
					}
					if (result == Transport.ReadResult.END_OF_INPUT) {
						this.ending = RawReply.Ending.CLOSED;
					}
				}
				catch (IOException ex) {
					this.ending = RawReply.Ending.RESET;
				}
			}
			return RawReply.decode(this.received.toByteArray(), this.ending);
		}

		@Override
		public void close() throws IOException {
			this.transport.close();
		}

		private void receive(ByteBuffer bytes) {
			this.received.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
		}

	}

	/** What a server sent on a {@link RawConnection}: the bytes, how reading ended, and the records in them. */
	public static final class RawReply {

		/** How reading ended. */
		public enum Ending {

			/** The server closed the connection (end of input). */
			CLOSED,

			/** Reading failed, typically on a TCP reset: the server closed with input unread. */
			RESET,

			/** The server sent nothing for the quiet period and the connection is still open. */
			QUIET

		}

		private final byte[] bytes;

		private final Ending ending;

		private final List<Response> responses;

		private final List<ManagementRecord> managementRecords;

		private final String error;

		private RawReply(byte[] bytes, Ending ending, List<Response> responses, List<ManagementRecord> managementRecords,
				String error) {
			this.bytes = bytes;
			this.ending = ending;
			this.responses = responses;
			this.managementRecords = managementRecords;
			this.error = error;
		}

		static RawReply decode(byte[] bytes, Ending ending) {
			Replies replies = new Replies(true);
			RecordDecoder decoder = new RecordDecoder(DecoderLimits.DEFAULTS, replies);
			String error = null;
			try {
				decoder.decode(ByteBuffer.wrap(bytes));
				if (ending != Ending.QUIET) {
					decoder.endOfInput();
				}
			}
			catch (ProtocolException ex) {
				error = ex.getMessage();
			}
			return new RawReply(bytes, ending, replies.ended().stream().map(Reply::toResponse).toList(),
					List.copyOf(replies.managementRecords()), (error != null) ? error : replies.violation());
		}

		/** Every byte received. */
		public byte[] bytes() {
			return this.bytes.clone();
		}

		public Ending ending() {
			return this.ending;
		}

		/** The responses completed by {@code FCGI_END_REQUEST}, in the order those came. */
		public List<Response> responses() {
			return this.responses;
		}

		/** The records with request id 0, in order. */
		public List<ManagementRecord> managementRecords() {
			return this.managementRecords;
		}

		/**
		 * What makes the bytes something an application server must not send (malformed
		 * records, a record ending with the connection, a stream type only a web server sends),
		 * or {@code null} when they are well-formed.
		 */
		public String error() {
			return this.error;
		}

	}

}
