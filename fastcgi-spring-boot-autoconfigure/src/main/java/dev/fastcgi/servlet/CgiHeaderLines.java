package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the lines of a CGI header block as ISO-8859-1 bytes straight into the stream given (a
 * {@link HeaderBlockOutput}), instead of building a string and its bytes first. A char outside ISO-8859-1 becomes
 * {@code ?}, as {@code String.getBytes(ISO_8859_1)} would make it.
 */
final class CgiHeaderLines {

	private CgiHeaderLines() {
	}

	static void status(OutputStream out, int status, String reason) throws IOException {
		text(out, "Status: ");
		decimal(out, status);
		out.write(' ');
		text(out, reason);
		end(out);
	}

	static void header(OutputStream out, String name, String value) throws IOException {
		text(out, name);
		out.write(':');
		out.write(' ');
		text(out, value);
		end(out);
	}

	static void header(OutputStream out, String name, long value) throws IOException {
		text(out, name);
		out.write(':');
		out.write(' ');
		decimal(out, value);
		end(out);
	}

	/** The empty line that ends the header block, or the end of a line. */
	static void end(OutputStream out) throws IOException {
		out.write('\r');
		out.write('\n');
	}

	private static void text(OutputStream out, String text) throws IOException {
		for (int index = 0; index < text.length(); index++) {
			char c = text.charAt(index);
			out.write((c <= 0xFF) ? c : '?');
		}
	}

	private static void decimal(OutputStream out, long value) throws IOException {
		if (value < 0) {
			text(out, Long.toString(value));
			return;
		}
		if (value >= 10) {
			decimal(out, value / 10);
		}
		out.write('0' + (int) (value % 10));
	}

}
