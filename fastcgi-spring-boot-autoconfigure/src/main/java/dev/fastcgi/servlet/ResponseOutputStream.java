package dev.fastcgi.servlet;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * {@link jakarta.servlet.ServletResponse#getOutputStream()}: writes through the response buffer.
 * Output is blocking, so it is always ready; a write listener is told so once, on the context's
 * async executor.
 */
final class ResponseOutputStream extends ServletOutputStream {

	private final ResponseOutput output;

	private final FastCgiServletRequest request;

	ResponseOutputStream(ResponseOutput output, FastCgiServletRequest request) {
		this.output = output;
		this.request = request;
	}

	@Override
	public void write(int b) throws IOException {
		this.output.write(b);
	}

	@Override
	public void write(byte[] b, int off, int len) throws IOException {
		this.output.write(b, off, len);
	}

	@Override
	public void flush() throws IOException {
		this.output.flush();
	}

	@Override
	public void close() throws IOException {
		this.output.close();
	}

	@Override
	public boolean isReady() {
		return true;
	}

	@Override
	public void setWriteListener(WriteListener writeListener) {
		if (writeListener == null) {
			throw new NullPointerException("WriteListener must not be null");
		}
		if (!this.request.isAsyncStarted()) {
			throw new IllegalStateException("A write listener needs an async request");
		}
		this.request.servletContext().asyncExecutor().execute(() -> {
			try {
				writeListener.onWritePossible();
			}
			catch (Throwable ex) {
				writeListener.onError(ex);
			}
		});
	}

}
