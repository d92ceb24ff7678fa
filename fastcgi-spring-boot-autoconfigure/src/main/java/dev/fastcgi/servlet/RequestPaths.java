package dev.fastcgi.servlet;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a raw request path into the decoded, normalised path servlets are mapped by, with
 * Tomcat's rules: path parameters ({@code ;name=value}) are removed before decoding, escapes are
 * decoded as UTF-8, an encoded slash, a backslash, a NUL, a malformed escape, invalid UTF-8 or a
 * {@code ..} above the root make the request bad, empty segments collapse and dot segments are
 * resolved.
 */
final class RequestPaths {

	private static final String HEX_DIGITS = "0123456789ABCDEF";

	private RequestPaths() {
	}

	/**
	 * Decodes and normalises a raw path.
	 * @param rawPath the path as received: one char per byte, no query
	 * @return the path, starting with {@code /}
	 * @throws BadRequestException when Tomcat would answer 400
	 */
	static String decode(String rawPath) {
		if (!rawPath.startsWith("/")) {
			throw new BadRequestException("The request path must start with '/'");
		}
		checkTargetCharacters(rawPath);
		String bytes = percentDecode(removePathParameters(rawPath));
		return toUtf8(normalize(bytes));
	}

	/**
	 * Rejects what Tomcat's HTTP parser refuses in a request target (it answers 400 before the
	 * application sees the request): controls, space, non-ASCII bytes and {@code "<>\^`{|}}.
	 * Web servers pass such targets on unchanged.
	 * @param rawTargetPart a raw path or query string, one char per byte
	 * @throws BadRequestException when Tomcat would answer 400
	 */
	static void checkTargetCharacters(String rawTargetPart) {
		for (int i = 0; i < rawTargetPart.length(); i++) {
			char c = rawTargetPart.charAt(i);
			if (c <= ' ' || c >= 0x7F || "\"<>\\^`{|}".indexOf(c) >= 0) {
				throw new BadRequestException("Invalid character in the request target");
			}
		}
	}

	/**
	 * The shortest start of a raw path, ending before a {@code /} or at its end, that decodes to
	 * {@code decodedPrefix}; {@code decodedPrefix} itself when none does.
	 */
	static String rawPrefix(String rawPath, String decodedPrefix) {
		if (decodedPrefix.isEmpty()) {
			return decodedPrefix;
		}
		for (int end = rawPath.indexOf('/', 1); end >= 0; end = rawPath.indexOf('/', end + 1)) {
			if (decodesTo(rawPath.substring(0, end), decodedPrefix)) {
				return rawPath.substring(0, end);
			}
		}
		return decodesTo(rawPath, decodedPrefix) ? rawPath : decodedPrefix;
	}

	private static boolean decodesTo(String rawPath, String decoded) {
		try {
			return decode(rawPath).equals(decoded);
		}
		catch (BadRequestException ex) {
			return false;
		}
	}

	/** Removes {@code ;...} from each segment, as Tomcat does before mapping. */
	static String removePathParameters(String rawPath) {
		if (rawPath.indexOf(';') < 0) {
			return rawPath;
		}
		StringBuilder path = new StringBuilder(rawPath.length());
		int index = 0;
		while (index < rawPath.length()) {
			int semicolon = rawPath.indexOf(';', index);
			if (semicolon < 0) {
				path.append(rawPath, index, rawPath.length());
				break;
			}
			path.append(rawPath, index, semicolon);
			int nextSlash = rawPath.indexOf('/', semicolon);
			index = (nextSlash < 0) ? rawPath.length() : nextSlash;
		}
		return path.toString();
	}

	/** Decodes escapes into bytes, one char per byte. */
	private static String percentDecode(String path) {
		if (path.indexOf('%') < 0) {
			return checkCharacters(path);
		}
		StringBuilder decoded = new StringBuilder(path.length());
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == '%') {
				if (i + 2 >= path.length()) {
					throw new BadRequestException("Truncated escape in the request path");
				}
				int high = Character.digit(path.charAt(i + 1), 16);
				int low = Character.digit(path.charAt(i + 2), 16);
				if (high < 0 || low < 0) {
					throw new BadRequestException("Malformed escape in the request path");
				}
				char b = (char) ((high << 4) | low);
				if (b == '/') {
					throw new BadRequestException("Encoded slash in the request path");
				}
				decoded.append(b);
				i += 2;
			}
			else {
				decoded.append(c);
			}
		}
		return checkCharacters(decoded.toString());
	}

	private static String checkCharacters(String path) {
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == 0 || c == '\\') {
				throw new BadRequestException("Invalid character in the request path");
			}
		}
		return path;
	}

	/**
	 * Collapses empty segments and resolves {@code .} and {@code ..}; a path ending in a dot
	 * segment keeps a trailing slash.
	 */
	static String normalize(String path) {
		if (!path.contains("//") && !path.contains("/.")) {
			return path;
		}
		String[] segments = path.substring(1).split("/", -1);
		List<String> kept = new ArrayList<>(segments.length);
		boolean trailingSlash = false;
		for (String segment : segments) {
			trailingSlash = true;
			if (segment.equals("..")) {
				if (kept.isEmpty()) {
					throw new BadRequestException("The request path escapes the root");
				}
				kept.remove(kept.size() - 1);
			}
			else if (!segment.isEmpty() && !segment.equals(".")) {
				kept.add(segment);
				trailingSlash = false;
			}
		}
		return "/" + String.join("/", kept) + ((trailingSlash && !kept.isEmpty()) ? "/" : "");
	}

	private static String toUtf8(String bytes) {
		for (int i = 0; i < bytes.length(); i++) {
			if (bytes.charAt(i) >= 0x80) {
				return decodeUtf8(bytes);
			}
		}
		return bytes;
	}

	private static String decodeUtf8(String bytes) {
		try {
			CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1)));
			return chars.toString();
		}
		catch (CharacterCodingException ex) {
			throw new BadRequestException("The request path is not valid UTF-8");
		}
	}

	/**
	 * Encodes a decoded path (one char per byte) so that {@link #decode} gives it back: the web
	 * server's SCRIPT_NAME and PATH_INFO, used when REQUEST_URI is missing.
	 */
	static String encode(String decodedBytes) {
		StringBuilder encoded = new StringBuilder(decodedBytes.length());
		for (int i = 0; i < decodedBytes.length(); i++) {
			char c = decodedBytes.charAt(i);
			if (c > ' ' && c < 0x7F && "%;?#\"<>\\^`{|}".indexOf(c) < 0) {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(HEX_DIGITS.charAt((c >> 4) & 0xF)).append(HEX_DIGITS.charAt(c & 0xF));
			}
		}
		return encoded.toString();
	}

}
