package dev.fastcgi.protocol;

import java.nio.ByteBuffer;

/**
 * Turns a byte stream into FastCGI records, however the bytes are split into reads: a header,
 * a body or padding may arrive one byte at a time. Stream records are passed on as their bytes
 * arrive; records that must be read whole (begin, abort, end, management) are held up to
 * {@link DecoderLimits#maxControlContent()} bytes. Not thread-safe: one decoder per connection.
 */
public final class RecordDecoder {

	/** FastCGI 1.0 is the only version there is. */
	public static final int VERSION = 1;

	public static final int HEADER_LENGTH = 8;

	private enum State {

		HEADER, CONTENT, PADDING

	}

	private final DecoderLimits limits;

	private final RecordListener listener;

	private final byte[] header = new byte[HEADER_LENGTH];

	private State state = State.HEADER;

	private int headerFilled;

	private int typeCode;

	private RecordType type;

	private int requestId;

	private int contentLength;

	private int contentRemaining;

	private int paddingRemaining;

	private byte[] control;

	/** Holds the usual 8-byte records (BEGIN_REQUEST, ABORT's empty one), so that a kept connection allocates none for them. */
	private final byte[] smallControl = new byte[8];

	private int controlFilled;

	public RecordDecoder(DecoderLimits limits, RecordListener listener) {
		this.limits = limits;
		this.listener = listener;
	}

	/**
	 * Consumes every byte remaining in the buffer, calling the listener for what it completes.
	 * @throws ProtocolException when the stream breaks the protocol or a limit; the decoder must
	 * not be used after that
	 */
	public void decode(ByteBuffer buffer) throws ProtocolException {
		while (buffer.hasRemaining()) {
			switch (this.state) {
				case HEADER -> readHeader(buffer);
				case CONTENT -> readContent(buffer);
				case PADDING -> skipPadding(buffer);
			}
		}
	}

	/** Whether the bytes so far end exactly at a record boundary. */
	public boolean isAtRecordBoundary() {
		return this.state == State.HEADER && this.headerFilled == 0;
	}

	/**
	 * Reports a stream that ended (EOF) in the middle of a record.
	 * @throws ProtocolException if the bytes so far do not end at a record boundary
	 */
	public void endOfInput() throws ProtocolException {
		if (!isAtRecordBoundary()) {
			throw new ProtocolException(ProtocolError.TRUNCATED, "Connection closed in the middle of a record");
		}
	}

	private void readHeader(ByteBuffer buffer) throws ProtocolException {
		int count = Math.min(HEADER_LENGTH - this.headerFilled, buffer.remaining());
		buffer.get(this.header, this.headerFilled, count);
		this.headerFilled += count;
		if (this.headerFilled < HEADER_LENGTH) {
			return;
		}
		int version = this.header[0] & 0xFF;
		if (version != VERSION) {
			throw new ProtocolException(ProtocolError.UNSUPPORTED_VERSION,
					"Record header has version " + version + ", expected " + VERSION);
		}
		this.typeCode = this.header[1] & 0xFF;
		this.type = RecordType.fromCode(this.typeCode);
		this.requestId = ((this.header[2] & 0xFF) << 8) | (this.header[3] & 0xFF);
		this.contentLength = ((this.header[4] & 0xFF) << 8) | (this.header[5] & 0xFF);
		this.contentRemaining = this.contentLength;
		this.paddingRemaining = this.header[6] & 0xFF;
		startContent();
	}

	private void startContent() throws ProtocolException {
		// in CONTENT before the header is reset: never at a record boundary until delivered
		this.state = State.CONTENT;
		this.headerFilled = 0;
		if (isHeldWhole()) {
			if (this.contentRemaining > this.limits.maxControlContent()) {
				throw new ProtocolException(ProtocolError.CONTROL_RECORD_TOO_LARGE, "A record of type " + this.typeCode
						+ " has " + this.contentRemaining + " content bytes, more than the limit of "
						+ this.limits.maxControlContent());
			}
			this.control = (this.contentRemaining <= this.smallControl.length) ? this.smallControl
					: new byte[this.contentRemaining];
			this.controlFilled = 0;
		}
		if (this.contentRemaining == 0) {
			completeContent();
		}
	}

	private boolean isHeldWhole() {
		if (this.requestId == 0 || this.type == null) {
			return this.requestId == 0;
		}
		return switch (this.type) {
			case BEGIN_REQUEST, ABORT_REQUEST, END_REQUEST -> true;
			default -> false;
		};
	}

	private void readContent(ByteBuffer buffer) throws ProtocolException {
		int count = Math.min(this.contentRemaining, buffer.remaining());
		if (this.control != null) {
			buffer.get(this.control, this.controlFilled, count);
			this.controlFilled += count;
		}
		else if (isStream()) {
			// the caller's buffer narrowed to the content, rather than a slice object per record
			int start = buffer.position();
			int limit = buffer.limit();
			buffer.limit(start + count);
			try {
				this.listener.onStreamContent(this.type, this.requestId, buffer);
			}
			finally {
				buffer.limit(limit).position(start + count);
			}
		}
		else {
			buffer.position(buffer.position() + count);
		}
		this.contentRemaining -= count;
		if (this.contentRemaining == 0) {
			completeContent();
		}
	}

	private boolean isStream() {
		return this.type != null && switch (this.type) {
			case PARAMS, STDIN, STDOUT, STDERR, DATA -> true;
			default -> false;
		};
	}

	/**
	 * Delivers a completed record, then moves on: until the listener has taken it, the decoder is
	 * not at a record boundary, so nobody may take the connection for idle in between.
	 */
	private void completeContent() throws ProtocolException {
		if (this.control != null) {
			byte[] content = this.control;
			this.control = null;
			deliverWhole(ByteBuffer.wrap(content, 0, this.controlFilled));
		}
		else if (isStream() && this.contentLength == 0) {
			this.listener.onStreamEnd(this.type, this.requestId);
		}
		this.state = (this.paddingRemaining > 0) ? State.PADDING : State.HEADER;
	}

	private void deliverWhole(ByteBuffer content) throws ProtocolException {
		if (this.requestId == 0) {
			this.listener.onManagementRecord(this.type, this.typeCode, content);
			return;
		}
		switch (this.type) {
			case BEGIN_REQUEST -> {
				requireLength(content, 8);
				int role = content.getShort(0) & 0xFFFF;
				boolean keepConnection = (content.get(2) & 1) != 0;
				this.listener.onBeginRequest(this.requestId, role, keepConnection);
			}
			case ABORT_REQUEST -> this.listener.onAbortRequest(this.requestId);
			case END_REQUEST -> {
				requireLength(content, 8);
				this.listener.onEndRequest(this.requestId, content.getInt(0) & 0xFFFFFFFFL, content.get(4) & 0xFF);
			}
			default -> throw new IllegalStateException("Not held whole: " + this.type);
		}
	}

	private void requireLength(ByteBuffer content, int length) throws ProtocolException {
		if (content.remaining() != length) {
			throw new ProtocolException(ProtocolError.MALFORMED_RECORD, this.type + " record has "
					+ content.remaining() + " content bytes, expected " + length);
		}
	}

	private void skipPadding(ByteBuffer buffer) {
		int count = Math.min(this.paddingRemaining, buffer.remaining());
		buffer.position(buffer.position() + count);
		this.paddingRemaining -= count;
		if (this.paddingRemaining == 0) {
			this.state = State.HEADER;
		}
	}

}
