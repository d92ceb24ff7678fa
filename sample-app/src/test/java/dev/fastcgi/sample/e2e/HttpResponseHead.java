package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status line and headers of an HTTP/1.1 response exactly as they came over the wire.
 * @param statusLine the status line, reason phrase included
 * @param status the status code
 * @param headers header values by lower-case name, repeated headers in order
 */
public record HttpResponseHead(String statusLine, int status, Map<String, List<String>> headers) {

	static HttpResponseHead read(InputStream in) throws IOException {
		String statusLine = HttpLines.require(in);
		String[] parts = statusLine.split(" ", 3);
		if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
			throw new IOException("Not an HTTP status line: " + statusLine);
		}
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String line = HttpLines.require(in); !line.isEmpty(); line = HttpLines.require(in)) {
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw new IOException("Malformed header line: " + line);
			}
			headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), (name) -> new ArrayList<>())
				.add(line.substring(colon + 1).trim());
		}
		return new HttpResponseHead(statusLine, Integer.parseInt(parts[1]), headers);
	}

	/** The first value of a header, or {@code null}. */
	public String header(String name) {
		List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
		return (values != null) ? values.get(0) : null;
	}

	public boolean isChunked() {
		String transferEncoding = header("Transfer-Encoding");
		return transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked");
	}

	/** The reason phrase, which some web servers pass through from the application and others replace. */
	public String reason() {
		String[] parts = this.statusLine.split(" ", 3);
		return (parts.length == 3) ? parts[2] : "";
	}

}
