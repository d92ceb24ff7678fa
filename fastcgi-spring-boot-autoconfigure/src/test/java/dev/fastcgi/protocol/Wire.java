package dev.fastcgi.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds record streams by hand, including ones {@link RecordEncoder} would never write (other
 * versions, unknown types, any padding).
 */
final class Wire {

	private Wire() {
	}

	static byte[] record(int version, int typeCode, int requestId, byte[] content, int paddingLength) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(version);
		out.write(typeCode);
		out.write(requestId >>> 8);
		out.write(requestId);
		out.write(content.length >>> 8);
		out.write(content.length);
		out.write(paddingLength);
		out.write(0);
		out.writeBytes(content);
		out.writeBytes(new byte[paddingLength]);
		return out.toByteArray();
	}

	static byte[] record(RecordType type, int requestId, byte[] content, int paddingLength) {
		return record(RecordDecoder.VERSION, type.code(), requestId, content, paddingLength);
	}

	static byte[] record(RecordType type, int requestId, byte[] content) {
		return record(type, requestId, content, 0);
	}

	static byte[] record(RecordType type, int requestId, String content) {
		return record(type, requestId, latin1(content));
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	static byte[] latin1(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** Name-value pairs as {@link NameValueEncoder} writes them: name, value, name, value... */
	static byte[] pairs(String... namesAndValues) {
		NameValueEncoder encoder = new NameValueEncoder();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			encoder.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return encoder.toByteArray();
	}

}
