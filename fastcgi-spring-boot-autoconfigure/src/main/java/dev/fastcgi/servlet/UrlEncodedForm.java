package dev.fastcgi.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code application/x-www-form-urlencoded} data: query strings and form bodies. As
 * strict as Tomcat: a malformed escape, bytes that are not valid in the charset or a value
 * without a name throw an {@link InvalidParameterException}, once the pairs before it are added.
 */
final class UrlEncodedForm {

	private UrlEncodedForm() {
	}

	/** Parses a query string received as one char per byte. */
	static void parse(String latin1, Charset charset, Map<String, List<String>> into) {
		parse(latin1.getBytes(StandardCharsets.ISO_8859_1), charset, into);
	}

	static void parse(byte[] data, Charset charset, Map<String, List<String>> into) {
		int start = 0;
		while (start <= data.length) {
			int end = indexOf(data, (byte) '&', start, data.length);
			if (end > start) {
				addPair(data, start, end, charset, into);
			}
			start = end + 1;
		}
	}

	private static void addPair(byte[] data, int start, int end, Charset charset, Map<String, List<String>> into) {
		int equals = indexOf(data, (byte) '=', start, end);
		if (equals == start) {
			throw new InvalidParameterException("The parameter '" + latin1(data, start, end) + "' has no name");
		}
		String name = decode(data, start, equals, charset);
		String value = (equals < end) ? decode(data, equals + 1, end, charset) : "";
		into.computeIfAbsent(name, (key) -> new ArrayList<>(1)).add(value);
	}

	private static int indexOf(byte[] data, byte b, int from, int to) {
		for (int i = from; i < to; i++) {
			if (data[i] == b) {
				return i;
			}
		}
		return to;
	}

	/** Decodes {@code +} and escapes, then the bytes in the charset. */
	private static String decode(byte[] data, int start, int end, Charset charset) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
		for (int i = start; i < end; i++) {
			byte b = data[i];
			if (b == '+') {
				bytes.write(' ');
			}
			else if (b == '%') {
				int high = (i + 2 < end) ? Character.digit(data[i + 1], 16) : -1;
				int low = (i + 2 < end) ? Character.digit(data[i + 2], 16) : -1;
				if (high < 0 || low < 0) {
					throw new InvalidParameterException("Malformed escape in '" + latin1(data, start, end) + "'");
				}
				bytes.write((high << 4) | low);
				i += 2;
			}
			else {
				bytes.write(b);
			}
		}
		try {
			return charset.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidParameterException(
					"'" + latin1(data, start, end) + "' does not decode to " + charset.name() + " text", ex);
		}
	}

	private static String latin1(byte[] data, int start, int end) {
		return new String(data, start, end - start, StandardCharsets.ISO_8859_1);
	}

}
