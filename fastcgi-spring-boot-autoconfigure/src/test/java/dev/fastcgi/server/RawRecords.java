package dev.fastcgi.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import dev.fastcgi.protocol.NameValueEncoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;
import dev.fastcgi.protocol.Role;

/**
 * Records as a web server sends them, for tests that need to choose the order of records or
 * stop half way through a request.
 */
final class RawRecords {

	private RawRecords() {
	}

	/** BEGIN_REQUEST for a responder. */
	static byte[] begin(int requestId, boolean keepConnection) {
		return RecordEncoder.beginRequest(requestId, Role.RESPONDER, keepConnection);
	}

	/** BEGIN_REQUEST with any role code, defined or not. */
	static byte[] beginWithRoleCode(int requestId, int roleCode, boolean keepConnection) {
		byte[] record = RecordEncoder.beginRequest(requestId, Role.RESPONDER, keepConnection);
		record[8] = (byte) (roleCode >>> 8);
		record[9] = (byte) roleCode;
		return record;
	}

	/** PARAMS records holding the pairs (name, value, name, value...), without the empty record. */
	static byte[] params(int requestId, String... namesAndValues) {
		NameValueEncoder pairs = new NameValueEncoder();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			pairs.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return RecordEncoder.records(RecordType.PARAMS, requestId, pairs.toByteArray());
	}

	/** STDIN records holding the text as UTF-8, without the empty record. */
	static byte[] stdin(int requestId, String text) {
		return RecordEncoder.records(RecordType.STDIN, requestId, text.getBytes(StandardCharsets.UTF_8));
	}

	/** The empty record ending a stream. */
	static byte[] end(RecordType stream, int requestId) {
		return RecordEncoder.streamEnd(stream, requestId);
	}

	/** A whole responder request: BEGIN_REQUEST, the params, and STDIN holding the body. */
	static byte[] request(int requestId, boolean keepConnection, String body, String... namesAndValues) {
		return concat(begin(requestId, keepConnection), params(requestId, namesAndValues),
				end(RecordType.PARAMS, requestId), stdin(requestId, body), end(RecordType.STDIN, requestId));
	}

	/** FCGI_GET_VALUES asking for the names. */
	static byte[] getValues(String... names) {
		NameValueEncoder query = new NameValueEncoder();
		for (String name : names) {
			query.add(name, "");
		}
		return RecordEncoder.records(RecordType.GET_VALUES, 0, query.toByteArray());
	}

	static byte[] abort(int requestId) {
		return RecordEncoder.abortRequest(requestId);
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
