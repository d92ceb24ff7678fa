package dev.fastcgi.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;

/**
 * STDOUT or STDERR of one request: bytes are framed into records as the buffer fills, and
 * {@link #flush()} sends what is buffered at once. Closing sends the empty record that ends the
 * stream; an unused STDERR is never opened on the wire.
 */
final class RecordOutputStream extends OutputStream {

	private static final int HEADER = RecordDecoder.HEADER_LENGTH;

	private static final byte[] PADDING = new byte[7];

	/** What follows the last record of a request's STDOUT in the same buffer: the stream's end and END_REQUEST. */
	private static final int END_LENGTH = HEADER + RecordEncoder.END_REQUEST_LENGTH;

	private final RecordType type;

	private final int requestId;

	private final ServerExchange exchange;

	private final int bufferSize;

	/** Taken on the first write: many streams (STDERR above all) are never written. */
	private byte[] buffer;

	private int count;

	private boolean used;

	private boolean closed;

	/** Set before bytes go to the web server; read by another thread ending the request early. */
	private volatile boolean sent;

	RecordOutputStream(RecordType type, int requestId, ServerExchange exchange, int bufferSize) {
		this.type = type;
		this.requestId = requestId;
		this.exchange = exchange;
		this.bufferSize = bufferSize;
	}

	@Override
	public void write(int b) throws IOException {
		ensureWritable();
		if (this.count == capacity()) {
			sendBuffered();
		}
		this.buffer[HEADER + this.count++] = (byte) b;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		ensureWritable();
		if (length <= capacity() - this.count) {
			System.arraycopy(bytes, offset, this.buffer, HEADER + this.count, length);
			this.count += length;
			return;
		}
		sendBuffered();
		if (length < capacity()) {
			System.arraycopy(bytes, offset, this.buffer, HEADER + this.count, length);
			this.count += length;
			return;
		}
		// large writes go out from the caller's array, without a copy
		this.sent = true;
		int done = 0;
		while (done < length) {
			int chunk = Math.min(RecordEncoder.MAX_CONTENT_LENGTH, length - done);
			byte[] header = new byte[HEADER];
			RecordEncoder.writeHeader(header, 0, this.type, this.requestId, chunk);
			this.exchange.send(ByteBuffer.wrap(header), ByteBuffer.wrap(bytes, offset + done, chunk),
					ByteBuffer.wrap(PADDING, 0, RecordEncoder.paddingFor(chunk)));
			done += chunk;
		}
		this.used = true;
	}

	@Override
	public void flush() throws IOException {
		if (!this.closed) {
			sendBuffered();
		}
	}

	@Override
	public void close() throws IOException {
		List<ByteBuffer> records = new ArrayList<>(2);
		finishInto(records);
		if (!records.isEmpty()) {
			this.exchange.send(records.toArray(ByteBuffer[]::new));
		}
	}

	/**
	 * Closes the stream, adding what it still has to send (the buffered record, then the empty
	 * record ending the stream) to the list instead of sending it, so that the caller can send
	 * the end of a request in one write.
	 */
	void finishInto(List<ByteBuffer> records) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.count > 0) {
			records.add(takeBuffered());
		}
		if (this.used) {
			records.add(ByteBuffer.wrap(RecordEncoder.streamEnd(this.type, this.requestId)));
		}
	}

	/**
	 * Closes the stream and frames, in its buffer, the buffered record, the empty record ending
	 * the stream and the END_REQUEST after them: the end of a request in one buffer, which goes
	 * out in one write without an array of buffers around it.
	 */
	ByteBuffer finishWithEndRequest(long appStatus, ProtocolStatus status) throws IOException {
		if (this.closed) {
			return ByteBuffer.wrap(RecordEncoder.endRequest(this.requestId, appStatus, status));
		}
		ensureWritable();
		this.closed = true;
		int end = (this.count > 0) ? takeBuffered().limit() : 0;
		RecordEncoder.writeHeader(this.buffer, end, this.type, this.requestId, 0);
		RecordEncoder.writeEndRequest(this.buffer, end + HEADER, this.requestId, appStatus, status);
		return ByteBuffer.wrap(this.buffer, 0, end + END_LENGTH);
	}

	/** Whether the stream must be ended with an empty record even when nothing was written. */
	void markUsed() {
		this.used = true;
	}

	/** Whether nothing was written to the stream, so that it has nothing to send. */
	boolean isUnused() {
		return !this.used && this.count == 0;
	}

	/** Whether any of the stream went out to the web server. */
	boolean hasSent() {
		return this.sent;
	}

	private void sendBuffered() throws IOException {
		if (this.count > 0) {
			this.sent = true;
			this.exchange.send(takeBuffered());
		}
	}

	/** Frames the buffered bytes as one record and empties the buffer. */
	private ByteBuffer takeBuffered() {
		int length = this.count;
		this.count = 0;
		this.used = true;
		RecordEncoder.writeHeader(this.buffer, 0, this.type, this.requestId, length);
		int padding = RecordEncoder.paddingFor(length);
		Arrays.fill(this.buffer, HEADER + length, HEADER + length + padding, (byte) 0);
		return ByteBuffer.wrap(this.buffer, 0, HEADER + length + padding);
	}

	private int capacity() {
		return this.bufferSize;
	}

	private void ensureWritable() throws IOException {
		if (this.closed) {
			throw new IOException(this.type + " of request " + this.requestId + " is closed");
		}
		if (this.buffer == null) {
			this.buffer = this.exchange.borrowBuffer(bufferLength(this.bufferSize));
		}
	}

	/**
	 * The array length a stream of the given capacity needs: room for the header before the
	 * content, the padding after it and the records that end a request.
	 */
	static int bufferLength(int capacity) {
		return HEADER + capacity + PADDING.length + END_LENGTH;
	}

	/** Gives the buffer back once everything in it has been sent. */
	void releaseBuffer() {
		if (this.buffer != null) {
			this.exchange.releaseBuffer(this.buffer);
			this.buffer = null;
		}
	}

}
