package dev.fastcgi.protocol;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link RecordDecoder} finds. An application server and a client each listen to
 * the records the other side sends, so every method has an empty default.
 */
public interface RecordListener {

	/**
	 * An {@code FCGI_BEGIN_REQUEST}.
	 * @param roleCode the role as sent; see {@link Role#fromCode(int)}
	 */
	default void onBeginRequest(int requestId, int roleCode, boolean keepConnection) throws ProtocolException {
	}

	default void onAbortRequest(int requestId) throws ProtocolException {
	}

	/**
	 * Content of a non-empty stream record (PARAMS, STDIN, DATA, STDOUT, STDERR): the bytes from
	 * the buffer's position to its limit, valid only during the call; it may hold part of a
	 * record. The decoder moves past them after the call, however many the listener read.
	 */
	default void onStreamContent(RecordType type, int requestId, ByteBuffer content) throws ProtocolException {
	}

	/** The empty record that ends a stream. */
	default void onStreamEnd(RecordType type, int requestId) throws ProtocolException {
	}

	default void onEndRequest(int requestId, long appStatus, int protocolStatusCode) throws ProtocolException {
	}

	/**
	 * A management record the decoder holds whole: GET_VALUES, GET_VALUES_RESULT, UNKNOWN_TYPE, or
	 * one of a type FastCGI 1.0 does not define (then {@code type} is {@code null} and
	 * {@code typeCode} says what came).
	 */
	default void onManagementRecord(RecordType type, int typeCode, ByteBuffer content) throws ProtocolException {
	}

}
