package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

import dev.fastcgi.server.FastCgiExchange;

/**
 * The response buffer in front of STDOUT. The first time bytes must leave the buffer (it is full,
 * the application flushes, or the request ends) the response is committed: the CGI header block
 * goes out first, and says whether the body is gzip-compressed from there on. A HEAD response counts
 * its body but never sends it. After {@link #close()} or {@link #suspend()} further writes are
 * ignored, as on Tomcat.
 * <p>
 * The buffer only matters until the commit: after it, bytes go straight to STDOUT, which buffers
 * records itself. It is borrowed from the exchange on the first write that needs it (a response
 * that is a single large write never copies) and given back at the commit.
 */
final class ResponseOutput {

	static final int DEFAULT_BUFFER_SIZE = 8192;

	private static final int GZIP_BUFFER_SIZE = 8192;

	private final FastCgiExchange exchange;

	private final OutputStream stdout;

	/** Where the body goes after the commit: STDOUT, or a gzip stream in front of it. */
	private OutputStream body;

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

		/** Writes the header block; returns whether the body that follows is to be gzip-compressed. */
		boolean writeTo(OutputStream stdout) throws IOException;

	}

	ResponseOutput(FastCgiExchange exchange, boolean discardBody, HeaderBlock headerBlock) {
		this.exchange = exchange;
		this.stdout = exchange.stdout();
		this.body = this.stdout;
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
				this.body.write(b);
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
		this.body.flush();
	}

	/** Commits and sends what is buffered; the response is complete. */
	synchronized void close() throws IOException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		commitAndSendBuffered();
		if (this.body != this.stdout) {
			// finishes the gzip stream and frees its native deflater; STDOUT stays open
			this.body.close();
		}
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

	/** Writes the header block to STDOUT in one write; returns whether the body is to be gzip-compressed. */
	private boolean writeHeaderBlock() throws IOException {
		HeaderBlockOutput block = new HeaderBlockOutput(this.exchange);
		try {
			boolean compressed = this.headerBlock.writeTo(block);
			block.sendTo(this.stdout);
			return compressed;
		}
		finally {
			block.release();
		}
	}

	/** Commits, then sends what is buffered and gives the buffer back: nothing is buffered after the commit. */
	private void commitAndSendBuffered() throws IOException {
		if (!this.committed) {
			this.committed = true;
			if (writeHeaderBlock() && !this.discardBody) {
				this.body = new GZIPOutputStream(new UnclosedStream(this.stdout), GZIP_BUFFER_SIZE, true);
			}
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
			this.body.write(bytes, offset, length);
		}
	}

	/** STDOUT as the gzip stream sees it: closing the gzip stream must not end the request's STDOUT. */
	private static final class UnclosedStream extends OutputStream {

		private final OutputStream stdout;

		UnclosedStream(OutputStream stdout) {
			this.stdout = stdout;
		}

		@Override
		public void write(int b) throws IOException {
			this.stdout.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.stdout.write(bytes, offset, length);
		}

		@Override
		public void flush() throws IOException {
			this.stdout.flush();
		}

		@Override
		public void close() {
		}

	}

}
