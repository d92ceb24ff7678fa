package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import dev.fastcgi.server.FastCgiExchange;

/**
 * Gathers a response's CGI header block in an array the exchange lends, to go to STDOUT in one
 * write: {@link CgiHeaderLines} writes a byte at a time, which costs an array store here and
 * several checks in the direct buffer STDOUT frames its records in.
 */
final class HeaderBlockOutput extends OutputStream {

	/** Room a header block usually fits in; the exchange lends its pooled arrays for it. */
	private static final int USUAL_LENGTH = 1024;

	private final FastCgiExchange exchange;

	private final byte[] borrowed;

	private byte[] bytes;

	private int count;

	HeaderBlockOutput(FastCgiExchange exchange) {
		this.exchange = exchange;
		this.borrowed = exchange.borrowBuffer(USUAL_LENGTH);
		this.bytes = this.borrowed;
	}

	@Override
	public void write(int b) {
		ensureRoom(1);
		this.bytes[this.count++] = (byte) b;
	}

	@Override
	public void write(byte[] source, int offset, int length) {
		ensureRoom(length);
		System.arraycopy(source, offset, this.bytes, this.count, length);
		this.count += length;
	}

	void sendTo(OutputStream stdout) throws IOException {
		stdout.write(this.bytes, 0, this.count);
	}

	/** Gives the lent array back; the block is not written to after. */
	void release() {
		this.exchange.releaseBuffer(this.borrowed);
	}

	private void ensureRoom(int more) {
		if (this.count + more > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.count + more));
		}
	}

}
