package dev.fastcgi.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.MultipartConfigElement;

/**
 * A streaming parser of {@code multipart/form-data} bodies (RFC 7578): reads the body once,
 * whatever the sizes of the reads, keeping each part in memory up to the configured threshold and
 * in a temporary file beyond it. Limits are enforced as the bytes arrive, by an
 * {@link IllegalStateException} whose message Spring recognises as an upload size problem.
 */
final class MultipartParser {

	private static final int MAX_HEADER_BYTES = 16 * 1024;

	private static final byte[] CRLF = { '\r', '\n' };

	private final InputStream input;

	private final byte[] delimiter;

	private final MultipartConfigElement config;

	private final Path location;

	private final Charset headerCharset;

	private final byte[] buffer;

	private int position;

	private int limit;

	private long totalRead;

	private boolean endOfInput;

	/**
	 * @param input the body
	 * @param boundary the boundary from the content type
	 * @param config the servlet's limits and threshold
	 * @param location where temporary files go
	 * @param headerCharset the charset of part headers (file names)
	 */
	MultipartParser(InputStream input, String boundary, MultipartConfigElement config, Path location,
			Charset headerCharset) {
		this.input = input;
		this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
		this.config = config;
		this.location = location;
		this.headerCharset = headerCharset;
		this.buffer = new byte[Math.max(8192, this.delimiter.length * 2)];
		// The first boundary has no CRLF before it: pretend it had one.
		this.buffer[0] = '\r';
		this.buffer[1] = '\n';
		this.limit = 2;
	}

	/**
	 * Parses the whole body.
	 * @param parts receives each part as soon as it is complete, so that the caller can delete
	 * temporary files even when a later part fails
	 * @throws IOException for a malformed body or a failed read
	 * @throws IllegalStateException when a limit is exceeded
	 */
	void parse(List<MultipartPart> parts) throws IOException {
		if (!skipTo(OutputStream.nullOutputStream())) {
			throw new IOException("Multipart body without its first boundary");
		}
		while (afterBoundaryComesAPart()) {
			Map<String, List<String>> headers = readHeaders();
			ContentDisposition disposition = ContentDisposition.parse(first(headers, "content-disposition"));
			String name = (disposition.name() != null) ? disposition.name() : "";
			PartContent content = new PartContent(name);
			try {
				if (!skipTo(content)) {
					throw new IOException("Multipart body ends inside part '" + name + "'");
				}
			}
			catch (IOException | RuntimeException ex) {
				content.discard();
				throw ex;
			}
			parts.add(new MultipartPart(name, disposition.fileName(), headers, this.location, content.bytes(),
					content.file(), content.size()));
		}
	}

	/** Reads what follows a boundary: {@code --} ends the body, CRLF starts a part. */
	private boolean afterBoundaryComesAPart() throws IOException {
		int first = read();
		int second = read();
		if (first == '-' && second == '-') {
			return false;
		}
		while (first == ' ' || first == '\t') {
			first = second;
			second = read();
		}
		if (first != '\r' || second != '\n') {
			throw new IOException("Malformed multipart boundary line");
		}
		return true;
	}

	private Map<String, List<String>> readHeaders() throws IOException {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int headerBytes = 0;
		while (true) {
			int b = read();
			if (b < 0) {
				throw new IOException("Multipart body ends inside part headers");
			}
			if (++headerBytes > MAX_HEADER_BYTES) {
				throw new IOException("Multipart part headers are too large");
			}
			if (b != '\n') {
				line.write(b);
				continue;
			}
			String text = line.toString(this.headerCharset);
			line.reset();
			if (text.endsWith("\r")) {
				text = text.substring(0, text.length() - 1);
			}
			if (text.isEmpty()) {
				return headers;
			}
			int colon = text.indexOf(':');
			if (colon > 0) {
				headers.computeIfAbsent(text.substring(0, colon).trim().toLowerCase(Locale.ROOT),
						(key) -> new ArrayList<>(1))
					.add(text.substring(colon + 1).trim());
			}
		}
	}

	private static String first(Map<String, List<String>> headers, String name) {
		List<String> values = headers.get(name);
		return (values != null) ? values.get(0) : null;
	}

	/**
	 * Copies the bytes before the next delimiter to the sink and consumes the delimiter.
	 * @return false when the input ended first
	 */
	private boolean skipTo(OutputStream sink) throws IOException {
		while (true) {
			int found = indexOfDelimiter();
			if (found >= 0) {
				sink.write(this.buffer, this.position, found - this.position);
				this.position = found + this.delimiter.length;
				return true;
			}
			// Keep a tail that may be the start of a delimiter split across reads.
			int safeEnd = Math.max(this.position, this.limit - this.delimiter.length + 1);
			sink.write(this.buffer, this.position, safeEnd - this.position);
			this.position = safeEnd;
			if (!fill()) {
				return false;
			}
		}
	}

	private int indexOfDelimiter() {
		int last = this.limit - this.delimiter.length;
		outer: for (int i = this.position; i <= last; i++) {
			for (int j = 0; j < this.delimiter.length; j++) {
				if (this.buffer[i + j] != this.delimiter[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private int read() throws IOException {
		if (this.position == this.limit && !fill()) {
			return -1;
		}
		return this.buffer[this.position++] & 0xFF;
	}

	/** Moves the unread bytes to the front and reads more; false at the end of the input. */
	private boolean fill() throws IOException {
		if (this.endOfInput) {
			return false;
		}
		System.arraycopy(this.buffer, this.position, this.buffer, 0, this.limit - this.position);
		this.limit -= this.position;
		this.position = 0;
		int read = this.input.read(this.buffer, this.limit, this.buffer.length - this.limit);
		if (read < 0) {
			this.endOfInput = true;
			return false;
		}
		this.totalRead += read;
		long maxRequestSize = this.config.getMaxRequestSize();
		if (maxRequestSize >= 0 && this.totalRead > maxRequestSize) {
			throw new IllegalStateException(
					"The request was rejected because its size exceeds the configured maximum of " + maxRequestSize
							+ " bytes");
		}
		this.limit += read;
		return true;
	}

	/** The content of one part: memory first, a temporary file once past the threshold. */
	private final class PartContent extends OutputStream {

		private final String name;

		private ByteArrayOutputStream memory = new ByteArrayOutputStream();

		private Path file;

		private OutputStream fileOutput;

		private long size;

		PartContent(String name) {
			this.name = name;
		}

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			if (length == 0) {
				return;
			}
			this.size += length;
			long maxFileSize = MultipartParser.this.config.getMaxFileSize();
			if (maxFileSize >= 0 && this.size > maxFileSize) {
				throw new IllegalStateException("The field " + this.name
						+ " exceeds its maximum permitted size of " + maxFileSize + " bytes");
			}
			if (this.fileOutput == null && this.size > MultipartParser.this.config.getFileSizeThreshold()) {
				this.file = Files.createTempFile(MultipartParser.this.location, "upload_", ".tmp");
				this.fileOutput = Files.newOutputStream(this.file);
				this.memory.writeTo(this.fileOutput);
				this.memory = null;
			}
			if (this.fileOutput != null) {
				this.fileOutput.write(bytes, offset, length);
			}
			else {
				this.memory.write(bytes, offset, length);
			}
		}

		byte[] bytes() throws IOException {
			if (this.fileOutput != null) {
				this.fileOutput.close();
				return null;
			}
			return this.memory.toByteArray();
		}

		Path file() {
			return this.file;
		}

		long size() {
			return this.size;
		}

		void discard() throws IOException {
			if (this.fileOutput != null) {
				this.fileOutput.close();
				Files.deleteIfExists(this.file);
			}
		}

	}

	/** The {@code name} and {@code filename} of a {@code Content-Disposition: form-data} header. */
	record ContentDisposition(String name, String fileName) {

		static ContentDisposition parse(String header) {
			if (header == null) {
				return new ContentDisposition(null, null);
			}
			Map<String, String> parameters = new LinkedHashMap<>();
			int index = header.indexOf(';');
			while (index >= 0 && index < header.length()) {
				int equals = header.indexOf('=', index);
				if (equals < 0) {
					break;
				}
				String key = header.substring(index + 1, equals).trim().toLowerCase(Locale.ROOT);
				StringBuilder value = new StringBuilder();
				index = readValue(header, equals + 1, value);
				parameters.put(key, value.toString());
			}
			String fileName = parameters.get("filename");
			String extended = parameters.get("filename*");
			if (extended != null) {
				fileName = decodeExtended(extended, fileName);
			}
			return new ContentDisposition(parameters.get("name"), fileName);
		}

		/** Reads a token or quoted string; returns the index of the next {@code ;} or the end. */
		private static int readValue(String header, int start, StringBuilder value) {
			int i = start;
			while (i < header.length() && header.charAt(i) == ' ') {
				i++;
			}
			if (i < header.length() && header.charAt(i) == '"') {
				i++;
				while (i < header.length() && header.charAt(i) != '"') {
					char c = header.charAt(i);
					// Browsers send Windows paths unescaped, so only \" is an escape.
					if (c == '\\' && i + 1 < header.length() && header.charAt(i + 1) == '"') {
						c = '"';
						i++;
					}
					value.append(c);
					i++;
				}
				int semicolon = header.indexOf(';', i);
				return (semicolon >= 0) ? semicolon : header.length();
			}
			int semicolon = header.indexOf(';', i);
			int end = (semicolon >= 0) ? semicolon : header.length();
			value.append(header, i, end).setLength(value.toString().trim().length());
			return end;
		}

		/** RFC 5987 {@code charset'language'percent-encoded}; the plain name if it cannot be read. */
		private static String decodeExtended(String value, String fallback) {
			int firstQuote = value.indexOf('\'');
			int secondQuote = value.indexOf('\'', firstQuote + 1);
			if (firstQuote <= 0 || secondQuote < 0) {
				return fallback;
			}
			try {
				Charset charset = Charset.forName(value.substring(0, firstQuote));
				Map<String, List<String>> decoded = new LinkedHashMap<>();
				UrlEncodedForm.parse("f=" + value.substring(secondQuote + 1).replace("+", "%2B"), charset, decoded);
				List<String> names = decoded.get("f");
				return (names != null) ? names.get(0) : fallback;
			}
			catch (IllegalArgumentException | InvalidParameterException ex) {
				return fallback;
			}
		}

	}

}
