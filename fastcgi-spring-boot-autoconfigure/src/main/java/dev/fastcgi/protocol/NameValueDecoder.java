package dev.fastcgi.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the name-value pairs of one PARAMS (or GET_VALUES) stream incrementally: a pair, or
 * even one of its length prefixes, may straddle two records. Lengths are checked against the
 * {@link DecoderLimits} before anything is allocated. Names become ISO-8859-1 strings, one char
 * per byte, so no byte is lost; values too, or they are handed over as bytes for the receiver to
 * keep and decode when asked ({@link #decodeRaw}).
 */
public final class NameValueDecoder {

	/** Receives each complete pair. */
	@FunctionalInterface
	public interface PairConsumer {

		void accept(String name, String value) throws ProtocolException;

	}

	/** Receives each complete pair with its value still bytes, which are only valid during the call. */
	@FunctionalInterface
	public interface RawPairConsumer {

		void accept(String name, byte[] value, int offset, int length) throws ProtocolException;

	}

	private enum State {

		NAME_LENGTH, VALUE_LENGTH, NAME, VALUE

	}

	private final DecoderLimits limits;

	private final RecentStrings recentStrings;

	private State state = State.NAME_LENGTH;

	private final byte[] lengthBytes = new byte[4];

	private int lengthFilled;

	private int nameLength;

	private int valueLength;

	private byte[] partial;

	private int partialFilled;

	private String name;

	private long totalBytes;

	private int pairCount;

	public NameValueDecoder(DecoderLimits limits) {
		this(limits, null);
	}

	/** @param recentStrings where names that repeat are looked up, or {@code null} for a new string each */
	public NameValueDecoder(DecoderLimits limits, RecentStrings recentStrings) {
		this.limits = limits;
		this.recentStrings = recentStrings;
	}

	/** Decodes the bytes remaining in the buffer, passing each pair completed to the consumer. */
	public void decode(ByteBuffer buffer, PairConsumer consumer) throws ProtocolException {
		decodeRaw(buffer, (name, value, offset, length) -> consumer
			.accept(name, new String(value, offset, length, StandardCharsets.ISO_8859_1)));
	}

	/**
	 * Decodes the bytes remaining in the buffer, passing each pair completed to the consumer with
	 * its value as bytes: a server keeps them and makes strings of the few values a request asks
	 * for, not of all thirty.
	 */
	public void decodeRaw(ByteBuffer buffer, RawPairConsumer consumer) throws ProtocolException {
		this.totalBytes += buffer.remaining();
		if (this.totalBytes > this.limits.maxParamsBytes()) {
			throw new ProtocolException(ProtocolError.PARAMS_TOO_LARGE,
					"Params exceed the limit of " + this.limits.maxParamsBytes() + " bytes");
		}
		while (canAdvance(buffer)) {
			switch (this.state) {
				case NAME_LENGTH -> {
					if (this.lengthFilled == 0 && buffer.hasArray()) {
						decodeWholePairs(buffer, consumer);
					}
					if (buffer.hasRemaining() && readLength(buffer)) {
						this.nameLength = takeLength();
						checkNameLength(this.nameLength);
						this.state = State.VALUE_LENGTH;
					}
				}
				case VALUE_LENGTH -> {
					if (readLength(buffer)) {
						this.valueLength = takeLength();
						checkValueLengthAndCount(this.valueLength);
						this.state = State.NAME;
					}
				}
				case NAME -> {
					String text = readName(buffer);
					if (text != null) {
						this.name = text;
						this.state = State.VALUE;
					}
				}
				case VALUE -> readValue(buffer, consumer);
			}
		}
	}

	/**
	 * Decodes the pairs that lie whole in the buffer's array straight from it, as nearly all do:
	 * each in one step instead of four, with no copy. Stops before the first pair that is not
	 * whole, for the states to gather, and so checks the limits of only whole pairs, in the order
	 * the states would.
	 */
	private void decodeWholePairs(ByteBuffer buffer, RawPairConsumer consumer) throws ProtocolException {
		byte[] bytes = buffer.array();
		int arrayOffset = buffer.arrayOffset();
		int end = arrayOffset + buffer.limit();
		int position = arrayOffset + buffer.position();
		while (position < end) {
			int pairNameLength = lengthAt(bytes, position, end);
			int valueLengthAt = position + lengthWidth(bytes[position]);
			if (pairNameLength < 0 || valueLengthAt == end) {
				return;
			}
			int pairValueLength = lengthAt(bytes, valueLengthAt, end);
			if (pairValueLength < 0) {
				return;
			}
			int at = valueLengthAt + lengthWidth(bytes[valueLengthAt]);
			if ((long) pairNameLength + pairValueLength > end - at) {
				return;
			}
			checkNameLength(pairNameLength);
			checkValueLengthAndCount(pairValueLength);
			String pairName = nameAt(bytes, at, pairNameLength);
			int valueOffset = at + pairNameLength;
			position = valueOffset + pairValueLength;
			buffer.position(position - arrayOffset);
			consumer.accept(pairName, bytes, valueOffset, pairValueLength);
		}
	}

	/** The length whose first byte is at the index, or -1 when its four bytes are not all there. */
	private static int lengthAt(byte[] bytes, int at, int end) {
		if (bytes[at] >= 0) {
			return bytes[at];
		}
		return (end - at < 4) ? -1 : fourByteLength(bytes, at);
	}

	/** A length takes one byte below 128, else four with the top bit of the first set. */
	private static int lengthWidth(byte first) {
		return (first < 0) ? 4 : 1;
	}

	private void checkNameLength(int length) throws ProtocolException {
		if (length > this.limits.maxNameLength()) {
			throw new ProtocolException(ProtocolError.NAME_TOO_LONG,
					"A param name of " + length + " bytes exceeds the limit of " + this.limits.maxNameLength());
		}
	}

	private void checkValueLengthAndCount(int length) throws ProtocolException {
		if (length > this.limits.maxValueLength()) {
			throw new ProtocolException(ProtocolError.VALUE_TOO_LONG,
					"A param value of " + length + " bytes exceeds the limit of " + this.limits.maxValueLength());
		}
		if (++this.pairCount > this.limits.maxParamCount()) {
			throw new ProtocolException(ProtocolError.TOO_MANY_PARAMS,
					"More than " + this.limits.maxParamCount() + " params");
		}
	}

	/** Empty names and values complete without consuming a byte. */
	private boolean canAdvance(ByteBuffer buffer) {
		return buffer.hasRemaining() || (this.state == State.NAME && this.nameLength == 0)
				|| (this.state == State.VALUE && this.valueLength == 0);
	}

	/**
	 * Reports the end of the stream.
	 * @throws ProtocolException if it ended inside a pair
	 */
	public void finish() throws ProtocolException {
		if (this.state != State.NAME_LENGTH || this.lengthFilled != 0) {
			throw new ProtocolException(ProtocolError.TRUNCATED, "Params ended in the middle of a name-value pair");
		}
	}

	private boolean readLength(ByteBuffer buffer) {
		if (this.lengthFilled == 0) {
			byte first = buffer.get();
			this.lengthBytes[0] = first;
			this.lengthFilled = 1;
			if ((first & 0x80) == 0) {
				return true;
			}
		}
		int count = Math.min(4 - this.lengthFilled, buffer.remaining());
		buffer.get(this.lengthBytes, this.lengthFilled, count);
		this.lengthFilled += count;
		return this.lengthFilled == 4;
	}

	private int takeLength() {
		int filled = this.lengthFilled;
		this.lengthFilled = 0;
		return (filled == 1) ? this.lengthBytes[0] : fourByteLength(this.lengthBytes, 0);
	}

	private static int fourByteLength(byte[] bytes, int offset) {
		return ((bytes[offset] & 0x7F) << 24) | ((bytes[offset + 1] & 0xFF) << 16) | ((bytes[offset + 2] & 0xFF) << 8)
				| (bytes[offset + 3] & 0xFF);
	}

	private void readValue(ByteBuffer buffer, RawPairConsumer consumer) throws ProtocolException {
		int length = this.valueLength;
		byte[] value;
		int offset;
		if (this.partial == null && buffer.hasArray() && buffer.remaining() >= length) {
			value = buffer.array();
			offset = buffer.arrayOffset() + buffer.position();
			buffer.position(buffer.position() + length);
		}
		else if (fillPartial(buffer, length)) {
			value = this.partial;
			offset = 0;
			this.partial = null;
		}
		else {
			return;
		}
		String completedName = this.name;
		this.name = null;
		this.state = State.NAME_LENGTH;
		consumer.accept(completedName, value, offset, length);
	}

	private String readName(ByteBuffer buffer) {
		int length = this.nameLength;
		if (this.partial == null && buffer.hasArray() && buffer.remaining() >= length) {
			String text = nameAt(buffer.array(), buffer.arrayOffset() + buffer.position(), length);
			buffer.position(buffer.position() + length);
			return text;
		}
		if (!fillPartial(buffer, length)) {
			return null;
		}
		String text = nameAt(this.partial, 0, length);
		this.partial = null;
		return text;
	}

	private String nameAt(byte[] bytes, int offset, int length) {
		String known = WellKnownNames.find(bytes, offset, length);
		return (known != null) ? known : latin1(bytes, offset, length);
	}

	/** Gathers a name or value that is not whole in one array; whether it is complete. */
	private boolean fillPartial(ByteBuffer buffer, int length) {
		if (this.partial == null) {
			this.partial = new byte[length];
			this.partialFilled = 0;
		}
		int count = Math.min(length - this.partialFilled, buffer.remaining());
		buffer.get(this.partial, this.partialFilled, count);
		this.partialFilled += count;
		return this.partialFilled == length;
	}

	private String latin1(byte[] bytes, int offset, int length) {
		return (this.recentStrings != null) ? this.recentStrings.decode(bytes, offset, length)
				: new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
	}

}
