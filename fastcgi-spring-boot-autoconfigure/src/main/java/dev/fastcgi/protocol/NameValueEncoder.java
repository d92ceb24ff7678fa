package dev.fastcgi.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the body of a PARAMS, GET_VALUES or GET_VALUES_RESULT stream: each length in one byte
 * below 128, else in four with the top bit set. Strings are written as ISO-8859-1, one byte per
 * char, the way {@link NameValueDecoder} reads them.
 */
public final class NameValueEncoder {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	public NameValueEncoder add(String name, String value) {
		byte[] nameBytes = name.getBytes(StandardCharsets.ISO_8859_1);
		byte[] valueBytes = value.getBytes(StandardCharsets.ISO_8859_1);
		writeLength(nameBytes.length);
		writeLength(valueBytes.length);
		this.out.writeBytes(nameBytes);
		this.out.writeBytes(valueBytes);
		return this;
	}

	public byte[] toByteArray() {
		return this.out.toByteArray();
	}

	private void writeLength(int length) {
		if (length < 128) {
			this.out.write(length);
		}
		else {
			this.out.write((length >>> 24) | 0x80);
			this.out.write(length >>> 16);
			this.out.write(length >>> 8);
			this.out.write(length);
		}
	}

}
