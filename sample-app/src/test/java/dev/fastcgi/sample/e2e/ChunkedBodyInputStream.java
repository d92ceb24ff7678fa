package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an HTTP/1.1 response with {@code Transfer-Encoding: chunked}, decoded as it
 * arrives so a streamed response (server-sent events) can be read piece by piece.
 */
final class ChunkedBodyInputStream extends InputStream {

	private final InputStream in;

	private long remainingInChunk;

	private boolean ended;

	ChunkedBodyInputStream(InputStream in) {
		this.in = in;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) == -1) ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		if (this.remainingInChunk == 0 && !startNextChunk()) {
			return -1;
		}
		int read = this.in.read(buffer, offset, (int) Math.min(length, this.remainingInChunk));
		if (read == -1) {
			throw new IOException("Connection closed inside a chunk");
		}
		this.remainingInChunk -= read;
		if (this.remainingInChunk == 0) {
			String chunkEnd = HttpLines.require(this.in);
			if (!chunkEnd.isEmpty()) {
				throw new IOException("Expected CRLF after chunk data but got: " + chunkEnd);
			}
		}
		return read;
	}

	private boolean startNextChunk() throws IOException {
		if (this.ended) {
			return false;
		}
		String sizeLine = HttpLines.require(this.in);
		int extension = sizeLine.indexOf(';');
		String size = ((extension != -1) ? sizeLine.substring(0, extension) : sizeLine).trim();
		try {
			this.remainingInChunk = Long.parseLong(size, 16);
		}
		catch (NumberFormatException ex) {
			throw new IOException("Bad chunk size line: " + sizeLine, ex);
		}
		if (this.remainingInChunk == 0) {
			// Trailer fields, if any, end with an empty line like the headers do.
			while (!HttpLines.require(this.in).isEmpty()) {
			}
			this.ended = true;
			return false;
		}
		return true;
	}

}
