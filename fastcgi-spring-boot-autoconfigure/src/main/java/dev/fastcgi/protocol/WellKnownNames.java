package dev.fastcgi.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The param names web servers send with every request, as shared strings: decoding a name finds
 * its string here instead of building a new one, some thirty times a request, and lookups by a
 * literal of the same name then match at the first comparison.
 */
final class WellKnownNames {

	static final String[] NAMES = { "QUERY_STRING", "REQUEST_METHOD", "CONTENT_TYPE", "CONTENT_LENGTH",
			"SCRIPT_NAME", "SCRIPT_FILENAME", "REQUEST_URI", "DOCUMENT_URI", "DOCUMENT_ROOT", "SERVER_PROTOCOL",
			"REQUEST_SCHEME", "HTTPS", "GATEWAY_INTERFACE", "SERVER_SOFTWARE", "REMOTE_ADDR", "REMOTE_PORT",
			"REMOTE_USER", "AUTH_TYPE", "SERVER_ADDR", "SERVER_PORT", "SERVER_NAME", "REDIRECT_STATUS", "PATH_INFO",
			"PATH_TRANSLATED", "FCGI_ROLE", "HTTP_HOST", "HTTP_USER_AGENT", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING",
			"HTTP_ACCEPT_LANGUAGE", "HTTP_CONNECTION", "HTTP_COOKIE", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH",
			"HTTP_AUTHORIZATION", "HTTP_REFERER", "HTTP_ORIGIN", "HTTP_CACHE_CONTROL", "HTTP_PRAGMA",
			"HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
			"HTTP_UPGRADE_INSECURE_REQUESTS", "HTTP_SEC_FETCH_MODE", "HTTP_SEC_FETCH_SITE", "HTTP_SEC_FETCH_DEST",
			"HTTP_DNT", "HTTP_TE" };

	/**
	 * The names by a hash of their length and three of their bytes (open addressing, at most a
	 * quarter full), so that a lookup compares the bytes of one name, not of every name of the
	 * same length.
	 */
	private static final String[] TABLE = new String[256];

	private static final byte[][] TABLE_BYTES = new byte[TABLE.length][];

	static {
		for (String name : NAMES) {
			byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
			int slot = firstSlot(bytes, 0, bytes.length);
			while (TABLE[slot] != null) {
				slot = (slot + 1) & (TABLE.length - 1);
			}
			TABLE[slot] = name;
			TABLE_BYTES[slot] = bytes;
		}
	}

	private WellKnownNames() {
	}

	/** The shared string for the bytes, or {@code null} when they are not a well-known name. */
	static String find(byte[] bytes, int offset, int length) {
		if (length == 0) {
			return null;
		}
		for (int slot = firstSlot(bytes, offset, length); TABLE[slot] != null; slot = (slot + 1) & (TABLE.length - 1)) {
			byte[] candidate = TABLE_BYTES[slot];
			if (candidate.length == length && Arrays.equals(candidate, 0, length, bytes, offset, offset + length)) {
				return TABLE[slot];
			}
		}
		return null;
	}

	/**
	 * Three bytes from the back half tell apart the names that share a prefix and a length
	 * (REMOTE_ADDR, REMOTE_PORT, REMOTE_USER) without hashing every byte.
	 */
	private static int firstSlot(byte[] bytes, int offset, int length) {
		int hash = ((length * 31 + bytes[offset + length - 1]) * 31 + bytes[offset + (length >>> 1)]) * 31
				+ bytes[offset + length - 1 - (length >>> 2)];
		return (hash ^ (hash >>> 7)) & (TABLE.length - 1);
	}

}
