package dev.fastcgi.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;

/**
 * STDOUT or STDERR of one request: bytes are framed into records as the buffer fills, and
 * {@link #flush()} sends what is buffered at once. Closing sends the empty record that ends the
 * stream; an unused STDERR is never opened on the wire.
 * <p>
 * Records are framed in direct buffers from the server's pools. The JDK writes a heap buffer to
 * a socket through a direct buffer of its own, one more copy, and the writing thread keeps that
 * buffer for good, as large as its largest write: with a pool thread per request in flight and
 * 64 KB records, that was 12 MB more than Tomcat held, which writes 8 KB at a time.
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

	/**
	 * Taken on the first write: many streams (STDERR above all) are never written. Written at
	 * absolute indexes, its limit at its capacity, except while a record framed in it is sent.
	 */
	private ByteBuffer buffer;

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
		this.buffer.put(HEADER + this.count++, (byte) b);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		ensureWritable();
		if (length <= capacity() - this.count) {
			this.buffer.put(HEADER + this.count, bytes, offset, length);
			this.count += length;
			return;
		}
		sendBuffered();
		if (length < capacity()) {
			this.buffer.put(HEADER + this.count, bytes, offset, length);
			this.count += length;
			return;
		}
		sendLarge(bytes, offset, length);
	}

	/** Sends a write larger than the buffer in records as large as may be, one write each. */
	private void sendLarge(byte[] bytes, int offset, int length) throws IOException {
		this.sent = true;
		this.used = true;
		ByteBuffer record = this.exchange.borrowLargeRecordBuffer();
		try {
			int done = 0;
			while (done < length) {
				int chunk = Math.min(RecordEncoder.MAX_CONTENT_LENGTH, length - done);
				record.clear();
				record.put(HEADER, bytes, offset + done, chunk);
				this.exchange.send(frame(record, chunk));
				done += chunk;
			}
		}
		finally {
			this.exchange.releaseRecordBuffer(record);
		}
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
		this.buffer.clear();
		RecordEncoder.writeHeader(this.buffer, end, this.type, this.requestId, 0);
		RecordEncoder.writeEndRequest(this.buffer, end + HEADER, this.requestId, appStatus, status);
		return this.buffer.limit(end + END_LENGTH);
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
			try {
				this.exchange.send(takeBuffered());
			}
			finally {
				this.buffer.clear();
			}
		}
	}

	/** Frames the buffered bytes as one record and empties the buffer. */
	private ByteBuffer takeBuffered() {
		int length = this.count;
		this.count = 0;
		this.used = true;
		return frame(this.buffer, length);
	}

	/** Frames the content after the header room as one record, the buffer positioned to send it. */
	private ByteBuffer frame(ByteBuffer record, int contentLength) {
		RecordEncoder.writeHeader(record, 0, this.type, this.requestId, contentLength);
		int padding = RecordEncoder.paddingFor(contentLength);
		record.put(HEADER + contentLength, PADDING, 0, padding);
		return record.limit(HEADER + contentLength + padding).position(0);
	}

	private int capacity() {
		return this.bufferSize;
	}

	private void ensureWritable() throws IOException {
		if (this.closed) {
			throw new IOException(this.type + " of request " + this.requestId + " is closed");
		}
		if (this.buffer == null) {
			this.buffer = this.exchange.borrowRecordBuffer(bufferLength(this.bufferSize));
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
			this.exchange.releaseRecordBuffer(this.buffer);
			this.buffer = null;
		}
	}

}
