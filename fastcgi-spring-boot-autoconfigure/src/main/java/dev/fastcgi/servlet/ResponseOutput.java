package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The response buffer in front of STDOUT. The first time bytes must leave the buffer (it is full,
 * the application flushes, or the request ends) the response is committed: the CGI header block
 * goes out first. A HEAD response counts its body but never sends it. After {@link #close()} or
 * {@link #suspend()} further writes are ignored, as on Tomcat.
 * <p>
 * The buffer only matters until the commit: after it, bytes go straight to STDOUT, which buffers
 * records itself. It is taken on the first write that needs it and grows up to the buffer size,
 * so that a short response does not pay for a full buffer and a large write is never copied.
 */
final class ResponseOutput {

	static final int DEFAULT_BUFFER_SIZE = 8192;

	private static final int INITIAL_CAPACITY = 512;

	private final OutputStream stdout;

	private final boolean discardBody;

	private final HeaderBlock headerBlock;

	private int bufferSize = DEFAULT_BUFFER_SIZE;

	/** {@code null} until a write is buffered; never longer than {@link #bufferSize}. */
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

	ResponseOutput(OutputStream stdout, boolean discardBody, HeaderBlock headerBlock) {
		this.stdout = stdout;
		this.discardBody = discardBody;
		this.headerBlock = headerBlock;
	}

	synchronized void write(byte[] bytes, int offset, int length) throws IOException {
		if (this.suspended || this.closed || length == 0) {
			return;
		}
		if (!this.committed && length > this.bufferSize - this.count) {
			commit();
			writeBuffered();
		}
		if (this.committed) {
			writeBody(bytes, offset, length);
			return;
		}
		ensureCapacity(this.count + length);
		System.arraycopy(bytes, offset, this.buffer, this.count, length);
		this.count += length;
	}

	synchronized void write(int b) throws IOException {
		if (this.suspended || this.closed) {
			return;
		}
		if (!this.committed && this.count == this.bufferSize) {
			commit();
			writeBuffered();
		}
		if (this.committed) {
			if (!this.discardBody) {
				this.stdout.write(b);
			}
			return;
		}
		ensureCapacity(this.count + 1);
		this.buffer[this.count++] = (byte) b;
	}

	/** Commits, sends what is buffered and flushes STDOUT so that the client sees it now. */
	synchronized void flush() throws IOException {
		if (this.suspended || this.closed) {
			return;
		}
		commit();
		writeBuffered();
		this.stdout.flush();
	}

	/** Commits and sends what is buffered; the response is complete. */
	synchronized void close() throws IOException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		commit();
		writeBuffered();
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
		this.buffer = null;
	}

	synchronized int getBufferSize() {
		return this.bufferSize;
	}

	/** Makes room for {@code needed} bytes in all, at most the buffer size. */
	private void ensureCapacity(int needed) {
		if (this.buffer == null) {
			this.buffer = new byte[Math.min(this.bufferSize, Math.max(needed, INITIAL_CAPACITY))];
		}
		else if (needed > this.buffer.length) {
			this.buffer = Arrays.copyOf(this.buffer, Math.min(this.bufferSize, Math.max(needed, this.buffer.length * 2)));
		}
	}

	private void commit() throws IOException {
		if (!this.committed) {
			this.committed = true;
			this.headerBlock.writeTo(this.stdout);
		}
	}

	private void writeBuffered() throws IOException {
		if (this.count > 0) {
			int length = this.count;
			this.count = 0;
			writeBody(this.buffer, 0, length);
		}
	}

	private void writeBody(byte[] bytes, int offset, int length) throws IOException {
		if (!this.discardBody) {
			this.stdout.write(bytes, offset, length);
		}
	}

}
