package dev.fastcgi.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The param names web servers send with every request, as shared strings: decoding a name finds
 * its string here instead of building a new one, some thirty times a request, and lookups by a
 * literal of the same name then match at the first comparison.
 */
final class WellKnownNames {

	private static final String[] NAMES = { "QUERY_STRING", "REQUEST_METHOD", "CONTENT_TYPE", "CONTENT_LENGTH",
			"SCRIPT_NAME", "SCRIPT_FILENAME", "REQUEST_URI", "DOCUMENT_URI", "DOCUMENT_ROOT", "SERVER_PROTOCOL",
			"REQUEST_SCHEME", "HTTPS", "GATEWAY_INTERFACE", "SERVER_SOFTWARE", "REMOTE_ADDR", "REMOTE_PORT",
			"REMOTE_USER", "AUTH_TYPE", "SERVER_ADDR", "SERVER_PORT", "SERVER_NAME", "REDIRECT_STATUS", "PATH_INFO",
			"PATH_TRANSLATED", "FCGI_ROLE", "HTTP_HOST", "HTTP_USER_AGENT", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING",
			"HTTP_ACCEPT_LANGUAGE", "HTTP_CONNECTION", "HTTP_COOKIE", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH",
			"HTTP_AUTHORIZATION", "HTTP_REFERER", "HTTP_ORIGIN", "HTTP_CACHE_CONTROL", "HTTP_PRAGMA",
			"HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
			"HTTP_UPGRADE_INSECURE_REQUESTS", "HTTP_SEC_FETCH_MODE", "HTTP_SEC_FETCH_SITE", "HTTP_SEC_FETCH_DEST",
			"HTTP_DNT", "HTTP_TE" };

	private static final int LONGEST = Arrays.stream(NAMES).mapToInt(String::length).max().orElse(0);

	/** The names of each length, with their bytes, so a lookup compares only names that can match. */
	private static final String[][] BY_LENGTH = new String[LONGEST + 1][];

	private static final byte[][][] BYTES_BY_LENGTH = new byte[LONGEST + 1][][];

	static {
		for (int length = 0; length <= LONGEST; length++) {
			int size = length;
			String[] names = Arrays.stream(NAMES).filter((name) -> name.length() == size).toArray(String[]::new);
			BY_LENGTH[length] = names;
			BYTES_BY_LENGTH[length] = Arrays.stream(names)
				.map((name) -> name.getBytes(StandardCharsets.ISO_8859_1))
				.toArray(byte[][]::new);
		}
	}

	private WellKnownNames() {
	}

	/** The shared string for the bytes, or {@code null} when they are not a well-known name. */
	static String find(byte[] bytes, int offset, int length) {
		if (length > LONGEST) {
			return null;
		}
		byte[][] candidates = BYTES_BY_LENGTH[length];
		for (int index = 0; index < candidates.length; index++) {
			if (Arrays.equals(candidates[index], 0, length, bytes, offset, offset + length)) {
				return BY_LENGTH[length][index];
			}
		}
		return null;
	}

}
