package dev.fastcgi.sample.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the CRLF-terminated lines of HTTP/1.1 framing (status line, headers, chunk sizes) one
 * byte at a time, so that nothing after the line is consumed from the stream.
 */
final class HttpLines {

	private HttpLines() {
	}

	/** The next line without its line end, or {@code null} at the end of the stream. */
	static String read(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\n') {
			if (b == -1) {
				if (line.size() == 0) {
					return null;
				}
				throw new EOFException("Stream ended inside a line: " + line.toString(StandardCharsets.ISO_8859_1));
			}
			line.write(b);
		}
		String text = line.toString(StandardCharsets.ISO_8859_1);
		return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
	}

	/** Like {@link #read(InputStream)}, but the end of the stream is an error. */
	static String require(InputStream in) throws IOException {
		String line = read(in);
		if (line == null) {
			throw new EOFException("Stream ended where a line was expected");
		}
		return line;
	}

}
