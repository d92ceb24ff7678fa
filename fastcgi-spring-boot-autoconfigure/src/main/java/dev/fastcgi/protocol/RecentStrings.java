package dev.fastcgi.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Param values (and names other than the well-known ones) seen lately, so that one a web server
 * sends again (the server's name, port and protocol, the document root, the host, most headers,
 * the same URI) decodes to the string made the first time instead of a new one: about thirty strings a request that the collector no
 * longer has to clear. Shared by the decoders of a whole server and safe to use from any thread
 * without a lock: the table holds only immutable strings, so a racing reader sees either the old
 * string or the new one, and a lost update only costs a later miss.
 */
public final class RecentStrings {

	/** Longer values (cookies, tokens) rarely repeat; caching them would only evict those that do. */
	static final int LONGEST = 128;

	private static final int SLOTS = 1024;

	private final Recent[] slots = new Recent[SLOTS];

	/** The string of the ISO-8859-1 bytes: the one in the table when it matches, else a new one put there. */
	public String decode(byte[] bytes, int offset, int length) {
		if (length > LONGEST) {
			return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
		}
		int hash = length;
		for (int index = offset; index < offset + length; index++) {
			hash = 31 * hash + bytes[index];
		}
		int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
		Recent seen = this.slots[slot];
		if (seen != null && Arrays.equals(seen.bytes(), 0, seen.bytes().length, bytes, offset, offset + length)) {
			return seen.text();
		}
		byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);
		String text = new String(copy, StandardCharsets.ISO_8859_1);
		this.slots[slot] = new Recent(copy, text);
		return text;
	}

	/**
	 * A string with its bytes, compared as arrays (a vectorized comparison) rather than char by
	 * char; one object, so that a racing reader never pairs one string's bytes with another's text.
	 */
	private record Recent(byte[] bytes, String text) {
	}

}
