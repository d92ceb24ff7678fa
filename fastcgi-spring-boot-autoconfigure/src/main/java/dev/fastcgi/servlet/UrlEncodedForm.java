package dev.fastcgi.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code application/x-www-form-urlencoded} data: query strings and form bodies. A pair
 * with a malformed escape is skipped, as Tomcat skips it.
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
			int end = indexOf(data, (byte) '&', start);
			if (end > start) {
				addPair(data, start, end, charset, into);
			}
			start = end + 1;
		}
	}

	private static void addPair(byte[] data, int start, int end, Charset charset, Map<String, List<String>> into) {
		int equals = indexOf(data, (byte) '=', start);
		int nameEnd = Math.min(equals, end);
		String name = decode(data, start, nameEnd, charset);
		String value = (equals < end) ? decode(data, equals + 1, end, charset) : "";
		if (name != null && value != null && !name.isEmpty()) {
			into.computeIfAbsent(name, (key) -> new ArrayList<>(1)).add(value);
		}
	}

	private static int indexOf(byte[] data, byte b, int from) {
		for (int i = from; i < data.length; i++) {
			if (data[i] == b) {
				return i;
			}
		}
		return data.length;
	}

	/** Decodes {@code +} and escapes, or returns {@code null} for a malformed escape. */
	private static String decode(byte[] data, int start, int end, Charset charset) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
		for (int i = start; i < end; i++) {
			byte b = data[i];
			if (b == '+') {
				bytes.write(' ');
			}
			else if (b == '%') {
				if (i + 2 >= end) {
					return null;
				}
				int high = Character.digit(data[i + 1], 16);
				int low = Character.digit(data[i + 2], 16);
				if (high < 0 || low < 0) {
					return null;
				}
				bytes.write((high << 4) | low);
				i += 2;
			}
			else {
				bytes.write(b);
			}
		}
		return bytes.toString(charset);
	}

}
