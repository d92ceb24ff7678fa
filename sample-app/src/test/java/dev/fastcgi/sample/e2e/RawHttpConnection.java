package dev.fastcgi.sample.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An HTTP/1.1 connection driven byte by byte, for what {@link java.net.http.HttpClient} will
 * not do: send a request target as written ({@code /a/../b}, {@code %2F}), send a chunked body
 * piece by piece, read a streamed response as it arrives, or go away in the middle of one.
 * <pre>
 * try (RawHttpConnection connection = RawHttpConnection.open(server.port())) {
 *     connection.send("GET /a/../b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
 *     RawHttpResponse response = connection.readResponse();
 * }
 * </pre>
 */
public final class RawHttpConnection implements AutoCloseable {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawHttpConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/** Connects to 127.0.0.1 on the port. */
	public static RawHttpConnection open(int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) CONNECT_TIMEOUT.toMillis());
			socket.setSoTimeout((int) DEFAULT_READ_TIMEOUT.toMillis());
			return new RawHttpConnection(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/** How long a read may block before it fails with a {@link java.net.SocketTimeoutException}. */
	public RawHttpConnection readTimeout(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		return this;
	}

	/** Sends text as ISO-8859-1, one byte per char, so any byte can be written as a char. */
	public RawHttpConnection send(String text) throws IOException {
		return send(text.getBytes(StandardCharsets.ISO_8859_1));
	}

	public RawHttpConnection send(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
		return this;
	}

	/**
	 * Sends one chunk of a {@code Transfer-Encoding: chunked} body; an empty array sends the last
	 * chunk, which ends the body.
	 */
	public RawHttpConnection sendChunk(byte[] data) throws IOException {
		send(Integer.toHexString(data.length) + "\r\n");
		this.out.write(data);
		return send("\r\n" + ((data.length == 0) ? "\r\n" : ""));
	}

	/** Reads a status line and headers; the body is left for {@link #body(HttpResponseHead)}. */
	public HttpResponseHead readHead() throws IOException {
		return HttpResponseHead.read(this.in);
	}

	/**
	 * The body that follows a head, decoded and ending where its framing says: after the last
	 * chunk, after {@code Content-Length} bytes, or when the server closes the connection. Not for
	 * responses that have no body whatever their headers say (to HEAD, 1xx, 204, 304).
	 */
	public InputStream body(HttpResponseHead head) {
		if (head.isChunked()) {
			return new ChunkedBodyInputStream(this.in);
		}
		String contentLength = head.header("Content-Length");
		if (contentLength != null) {
			return new BoundedInputStream(this.in, Long.parseLong(contentLength));
		}
		return this.in;
	}

	/** Reads a whole response; see {@link #body(HttpResponseHead)} for which responses this fits. */
	public RawHttpResponse readResponse() throws IOException {
		HttpResponseHead head = readHead();
		return new RawHttpResponse(head, body(head).readAllBytes());
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** At most a given number of bytes of a stream, leaving the rest unread. */
	private static final class BoundedInputStream extends InputStream {

		private final InputStream in;

		private long remaining;

		BoundedInputStream(InputStream in, long length) {
			this.in = in;
			this.remaining = length;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == -1) ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (this.remaining == 0) {
				return -1;
			}
			int read = this.in.read(buffer, offset, (int) Math.min(length, this.remaining));
			if (read == -1) {
				throw new IOException("Connection closed with " + this.remaining + " bytes of the body missing");
			}
			this.remaining -= read;
			return read;
		}

	}

}
