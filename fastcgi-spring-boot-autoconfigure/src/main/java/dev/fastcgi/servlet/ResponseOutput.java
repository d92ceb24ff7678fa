package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;

import dev.fastcgi.server.FastCgiExchange;

/**
 * The response buffer in front of STDOUT. The first time bytes must leave the buffer (it is full,
 * the application flushes, or the request ends) the response is committed: the CGI header block
 * goes out first. A HEAD response counts its body but never sends it. After {@link #close()} or
 * {@link #suspend()} further writes are ignored, as on Tomcat.
 * <p>
 * The buffer only matters until the commit: after it, bytes go straight to STDOUT, which buffers
 * records itself. It is borrowed from the exchange on the first write that needs it (a response
 * that is a single large write never copies) and given back at the commit.
 */
final class ResponseOutput {

	static final int DEFAULT_BUFFER_SIZE = 8192;

	private final FastCgiExchange exchange;

	private final OutputStream stdout;

	private final boolean discardBody;

	private final HeaderBlock headerBlock;

	private int bufferSize = DEFAULT_BUFFER_SIZE;

	/** Borrowed while a write is buffered before the commit, at least {@link #bufferSize} long; {@code null} else. */
	private byte[] buffer;

	private int count;

	private boolean committed;

	private boolean suspended;

	private boolean closed;

	/** Writes the CGI header block of the response at the commit. */
	@FunctionalInterface
	interface HeaderBlock {

		void writeTo(OutputStream stdout) throws IOException;

	}

	ResponseOutput(FastCgiExchange exchange, boolean discardBody, HeaderBlock headerBlock) {
		this.exchange = exchange;
		this.stdout = exchange.stdout();
		this.discardBody = discardBody;
		this.headerBlock = headerBlock;
	}

	synchronized void write(byte[] bytes, int offset, int length) throws IOException {
		if (this.suspended || this.closed || length == 0) {
			return;
		}
		if (!this.committed && length > this.bufferSize - this.count) {
			commitAndSendBuffered();
		}
		if (this.committed) {
			writeBody(bytes, offset, length);
			return;
		}
		ensureBuffer();
		System.arraycopy(bytes, offset, this.buffer, this.count, length);
		this.count += length;
	}

	synchronized void write(int b) throws IOException {
		if (this.suspended || this.closed) {
			return;
		}
		if (!this.committed && this.count == this.bufferSize) {
			commitAndSendBuffered();
		}
		if (this.committed) {
			if (!this.discardBody) {
				this.stdout.write(b);
			}
			return;
		}
		ensureBuffer();
		this.buffer[this.count++] = (byte) b;
	}

	/** Commits, sends what is buffered and flushes STDOUT so that the client sees it now. */
	synchronized void flush() throws IOException {
		if (this.suspended || this.closed) {
			return;
		}
		commitAndSendBuffered();
		this.stdout.flush();
	}

	/** Commits and sends what is buffered; the response is complete. */
	synchronized void close() throws IOException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		commitAndSendBuffered();
	}

	synchronized boolean isClosed() {
		return this.closed;
	}

	/** Ignores further writes until {@link #resume()}: after sendError and sendRedirect. */
	synchronized void suspend() {
		this.suspended = true;
	}

	synchronized void resume() {
		this.suspended = false;
	}

	synchronized boolean isSuspended() {
		return this.suspended;
	}

	synchronized boolean isCommitted() {
		return this.committed;
	}

	synchronized int bufferedCount() {
		return this.count;
	}

	synchronized void resetBuffer() {
		if (this.committed) {
			throw new IllegalStateException("Cannot reset the buffer after the response has been committed");
		}
		this.count = 0;
	}

	synchronized void setBufferSize(int size) {
		if (this.committed || this.count > 0) {
			throw new IllegalStateException("Cannot change the buffer size after content has been written");
		}
		this.bufferSize = Math.max(size, 1);
		releaseBuffer();
	}

	synchronized int getBufferSize() {
		return this.bufferSize;
	}

	private void ensureBuffer() {
		if (this.buffer == null) {
			this.buffer = this.exchange.borrowBuffer(this.bufferSize);
		}
	}

	private void releaseBuffer() {
		if (this.buffer != null) {
			this.exchange.releaseBuffer(this.buffer);
			this.buffer = null;
		}
	}

	/** Commits, then sends what is buffered and gives the buffer back: nothing is buffered after the commit. */
	private void commitAndSendBuffered() throws IOException {
		if (!this.committed) {
			this.committed = true;
			this.headerBlock.writeTo(this.stdout);
		}
		if (this.count > 0) {
			int length = this.count;
			this.count = 0;
			writeBody(this.buffer, 0, length);
		}
		releaseBuffer();
	}

	private void writeBody(byte[] bytes, int offset, int length) throws IOException {
		if (!this.discardBody) {
			this.stdout.write(bytes, offset, length);
		}
	}

}
