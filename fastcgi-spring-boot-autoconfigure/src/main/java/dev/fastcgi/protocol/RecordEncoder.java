package dev.fastcgi.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes FastCGI records into byte arrays and buffers: at most {@value #MAX_CONTENT_LENGTH} content bytes a
 * record, padded to a multiple of 8 so that the next header is aligned for the reader.
 */
public final class RecordEncoder {

	public static final int MAX_CONTENT_LENGTH = 0xFFFF;

	/** The length of an END_REQUEST record: a header and an 8-byte body. */
	public static final int END_REQUEST_LENGTH = RecordDecoder.HEADER_LENGTH + 8;

	/** Room for one record: header, content and padding. */
	public static final int MAX_RECORD_LENGTH = RecordDecoder.HEADER_LENGTH + MAX_CONTENT_LENGTH + 7;

	private RecordEncoder() {
	}

	/** The padding that brings a record's content to a multiple of 8 bytes. */
	public static int paddingFor(int contentLength) {
		return -contentLength & 7;
	}

	/**
	 * Writes an 8-byte record header at {@code offset}, whatever the buffer's position: a server
	 * frames records in direct buffers, which the JDK writes to a socket without a copy.
	 */
	public static void writeHeader(ByteBuffer target, int offset, RecordType type, int requestId, int contentLength) {
		if (contentLength < 0 || contentLength > MAX_CONTENT_LENGTH) {
			throw new IllegalArgumentException("Content length " + contentLength + " is outside 0.." + MAX_CONTENT_LENGTH);
		}
		target.put(offset, (byte) RecordDecoder.VERSION);
		target.put(offset + 1, (byte) type.code());
		target.putShort(offset + 2, (short) requestId);
		target.putShort(offset + 4, (short) contentLength);
		target.put(offset + 6, (byte) paddingFor(contentLength));
		target.put(offset + 7, (byte) 0);
	}

	/**
	 * Encodes content as one or more records of the given type; empty content gives no record
	 * (use {@link #streamEnd} to end a stream).
	 */
	public static byte[] records(RecordType type, int requestId, byte[] content, int offset, int length) {
		int recordCount = (length + MAX_CONTENT_LENGTH - 1) / MAX_CONTENT_LENGTH;
		byte[] out = new byte[length + recordCount * (RecordDecoder.HEADER_LENGTH + 7)];
		ByteBuffer target = ByteBuffer.wrap(out);
		int position = 0;
		int done = 0;
		while (done < length) {
			int chunk = Math.min(MAX_CONTENT_LENGTH, length - done);
			writeHeader(target, position, type, requestId, chunk);
			position += RecordDecoder.HEADER_LENGTH;
			System.arraycopy(content, offset + done, out, position, chunk);
			position += chunk + paddingFor(chunk);
			done += chunk;
		}
		return Arrays.copyOf(out, position);
	}

	public static byte[] records(RecordType type, int requestId, byte[] content) {
		return records(type, requestId, content, 0, content.length);
	}

	/** The empty record that ends a stream. */
	public static byte[] streamEnd(RecordType type, int requestId) {
		byte[] out = new byte[RecordDecoder.HEADER_LENGTH];
		writeHeader(ByteBuffer.wrap(out), 0, type, requestId, 0);
		return out;
	}

	public static byte[] beginRequest(int requestId, Role role, boolean keepConnection) {
		byte[] body = new byte[8];
		body[0] = (byte) (role.code() >>> 8);
		body[1] = (byte) role.code();
		body[2] = (byte) (keepConnection ? 1 : 0);
		return records(RecordType.BEGIN_REQUEST, requestId, body);
	}

	public static byte[] abortRequest(int requestId) {
		return streamEnd(RecordType.ABORT_REQUEST, requestId);
	}

	public static byte[] endRequest(int requestId, long appStatus, ProtocolStatus status) {
		byte[] out = new byte[END_REQUEST_LENGTH];
		writeEndRequest(ByteBuffer.wrap(out), 0, requestId, appStatus, status);
		return out;
	}

	/** Writes the {@value #END_REQUEST_LENGTH}-byte END_REQUEST record at {@code offset}. */
	public static void writeEndRequest(ByteBuffer target, int offset, int requestId, long appStatus,
			ProtocolStatus status) {
		writeHeader(target, offset, RecordType.END_REQUEST, requestId, 8);
		int body = offset + RecordDecoder.HEADER_LENGTH;
		target.putInt(body, (int) appStatus);
		target.putInt(body + 4, status.code() << 24);
	}

	/** {@code FCGI_UNKNOWN_TYPE} answering a management record of a type this side does not know. */
	public static byte[] unknownType(int typeCode) {
		byte[] body = new byte[8];
		body[0] = (byte) typeCode;
		return records(RecordType.UNKNOWN_TYPE, 0, body);
	}

}
