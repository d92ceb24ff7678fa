package dev.fastcgi.sample.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} body event by event as the events arrive, so a test can
 * see that they are not held back until the response ends.
 */
public final class ServerSentEventReader {

	private final BufferedReader lines;

	/** @param body the decoded body, e.g. {@link RawHttpConnection#body(HttpResponseHead)} */
	public ServerSentEventReader(InputStream body) {
		this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
	}

	/** Blocks until the next event is complete; {@code null} when the stream ends first. */
	public ServerSentEvent next() throws IOException {
		String id = null;
		String name = null;
		StringBuilder data = null;
		for (String line = this.lines.readLine(); line != null; line = this.lines.readLine()) {
			if (line.isEmpty()) {
				if (id != null || name != null || data != null) {
					return new ServerSentEvent(id, name, (data != null) ? data.toString() : "");
				}
				continue;
			}
			if (line.startsWith(":")) {
				continue;
			}
			int colon = line.indexOf(':');
			String field = (colon != -1) ? line.substring(0, colon) : line;
			String value = (colon != -1) ? line.substring(colon + 1) : "";
			value = value.startsWith(" ") ? value.substring(1) : value;
			switch (field) {
				case "id" -> id = value;
				case "event" -> name = value;
				case "data" -> data = (data != null) ? data.append('\n').append(value) : new StringBuilder(value);
				default -> {
					// "retry" and unknown fields do not matter to the tests
				}
			}
		}
		return null;
	}

	/**
	 * One event.
	 * @param id the {@code id} field, or {@code null}
	 * @param name the {@code event} field, or {@code null}
	 * @param data the {@code data} lines joined with {@code \n}
	 */
	public record ServerSentEvent(String id, String name, String data) {
	}

}
