package dev.fastcgi.client;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.NameValueDecoder;
import dev.fastcgi.protocol.NameValueEncoder;
import dev.fastcgi.protocol.ProtocolException;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;

/**
 * One connection to the application server with the requests in flight on it. Reading is driven
 * by whoever waits: a response, a STDOUT stream, a GET_VALUES answer; records for other requests
 * read on the way are kept for them.
 */
final class ClientConnection implements Closeable {

	private static final int MAX_REQUEST_ID = 0xFFFF;

	private final Duration timeout;

	private final Replies replies = new Replies(false);

	private final RecordDecoder decoder = new RecordDecoder(DecoderLimits.DEFAULTS, this.replies);

	private final Transport transport;

	private final OutputStream output = new OutputStream() {

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			ClientConnection.this.transport.write(ByteBuffer.wrap(bytes, offset, length),
					ClientConnection.this.timeout);
		}

	};

	private ClientConnection(SocketAddress address, Duration timeout) throws IOException {
		this.timeout = timeout;
		this.transport = Transport.connect(address, timeout, this::decode);
	}

	static ClientConnection open(SocketAddress address, Duration timeout) throws IOException {
		return new ClientConnection(address, timeout);
	}

	/** Sends the request under the lowest request id not in flight on this connection. */
	Reply start(FastCgiClient.Request request) throws IOException {
		int requestId = 1;
		while (this.replies.isInFlight(requestId)) {
			if (++requestId > MAX_REQUEST_ID) {
				throw new IllegalStateException("All " + MAX_REQUEST_ID + " request ids are in flight");
			}
		}
		Reply reply = this.replies.register(requestId);
		request.writeTo(requestId, this.output);
		return reply;
	}

	void abort(int requestId) throws IOException {
		this.output.write(RecordEncoder.abortRequest(requestId));
	}

	Map<String, String> getValues(String... names) throws IOException {
		NameValueEncoder query = new NameValueEncoder();
		for (String name : names) {
			query.add(name, "");
		}
		byte[] content = query.toByteArray();
		this.output.write((content.length > 0) ? RecordEncoder.records(RecordType.GET_VALUES, 0, content)
				: RecordEncoder.streamEnd(RecordType.GET_VALUES, 0));
		while (this.replies.managementRecords().isEmpty()) {
			receive("FCGI_GET_VALUES_RESULT");
		}
		FastCgiClient.ManagementRecord answer = this.replies.managementRecords().remove();
		if (answer.type() != RecordType.GET_VALUES_RESULT) {
			throw new IOException("The server answered FCGI_GET_VALUES with a record of type " + answer.typeCode());
		}
		Map<String, String> values = new LinkedHashMap<>();
		NameValueDecoder pairs = new NameValueDecoder(DecoderLimits.DEFAULTS);
		try {
			pairs.decode(ByteBuffer.wrap(answer.content()), values::put);
			pairs.finish();
		}
		catch (ProtocolException ex) {
			throw new IOException("Malformed FCGI_GET_VALUES_RESULT: " + ex.getMessage(), ex);
		}
		return values;
	}

	/**
	 * Waits for the next bytes from the server and sorts them into replies.
	 * @param awaited what the caller waits for, for the exception messages
	 * @throws EOFException when the server closed the connection
	 * @throws SocketTimeoutException when nothing arrived within the timeout
	 */
	void receive(String awaited) throws IOException {
		switch (this.transport.read(this.timeout)) {
			case DATA -> {
			}
			case END_OF_INPUT -> {
				try {
					this.decoder.endOfInput();
				}
				catch (ProtocolException ex) {
					throw new IOException("The server closed the connection in the middle of a record", ex);
				}
				throw new EOFException("The server closed the connection before " + awaited);
			}
			case TIMED_OUT -> throw new SocketTimeoutException(
					"Nothing came from the server for " + this.timeout + " while waiting for " + awaited);
		}
	}

	boolean hasRequestsInFlight() {
		return this.replies.hasRequestsInFlight();
	}

	/**
	 * Whether the connection can carry another request: the server has not closed it. Reads what
	 * the server may have sent while it was idle.
	 */
	boolean isUsable() throws IOException {
		while (this.transport.readAvailable()) {
			// what arrived while idle is decoded like any output; the end of input is what matters
		}
		return !this.transport.isInputEnded();
	}

	@Override
	public void close() throws IOException {
		this.transport.close();
	}

	private void decode(ByteBuffer bytes) throws IOException {
		try {
			this.decoder.decode(bytes);
		}
		catch (ProtocolException ex) {
			throw new IOException("The server sent malformed FastCGI: " + ex.getMessage(), ex);
		}
		if (this.replies.violation() != null) {
			throw new IOException(this.replies.violation());
		}
	}

}
