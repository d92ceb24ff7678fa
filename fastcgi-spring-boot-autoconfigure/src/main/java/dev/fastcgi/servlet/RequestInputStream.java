package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * {@link jakarta.servlet.ServletRequest#getInputStream()} over STDIN, read to its end whatever
 * CONTENT_LENGTH says. Input is blocking, so it is always ready: a read listener is called on the
 * context's async executor until the body is read.
 */
final class RequestInputStream extends ServletInputStream {

	private final PushbackInputStream stdin;

	private final FastCgiServletRequest request;

	private volatile boolean finished;

	RequestInputStream(InputStream stdin, FastCgiServletRequest request) {
		this.stdin = new PushbackInputStream(stdin, 1);
		this.request = request;
	}

	@Override
	public int read() throws IOException {
		int b = this.stdin.read();
		if (b < 0) {
			this.finished = true;
		}
		return b;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		int read = this.stdin.read(b, off, len);
		if (read < 0) {
			this.finished = true;
		}
		return read;
	}

	@Override
	public int available() throws IOException {
		return this.stdin.available();
	}

	/** Looks one byte ahead: blocks until more of the body arrives or STDIN ends. */
	private boolean atEnd() throws IOException {
		int next = this.stdin.read();
		if (next < 0) {
			this.finished = true;
			return true;
		}
		this.stdin.unread(next);
		return false;
	}

	@Override
	public boolean isFinished() {
		return this.finished;
	}

	@Override
	public boolean isReady() {
		return true;
	}

	@Override
	public void setReadListener(ReadListener readListener) {
		if (readListener == null) {
			throw new NullPointerException("ReadListener must not be null");
		}
		if (!this.request.isAsyncStarted()) {
			throw new IllegalStateException("A read listener needs an async request");
		}
		this.request.servletContext().asyncExecutor().execute(() -> {
			try {
				while (!this.finished && !atEnd()) {
					readListener.onDataAvailable();
				}
				readListener.onAllDataRead();
			}
			catch (Throwable ex) {
				readListener.onError(ex);
			}
		});
	}

}
