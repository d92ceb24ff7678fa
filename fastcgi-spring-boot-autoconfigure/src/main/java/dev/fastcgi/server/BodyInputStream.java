package dev.fastcgi.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * STDIN or DATA of one request as the handler reads it. Content arrives from whichever thread
 * reads the connection; when nothing is queued, the reading handler reads the connection itself
 * (see {@link Connection#awaitInput}), so a request served on the connection's thread needs no
 * other thread. All state is guarded by the connection's lock.
 */
final class BodyInputStream extends InputStream {

	private final Connection connection;

	private final ServerExchange exchange;

	private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();

	private byte[] current;

	private int position;

	private long queuedBytes;

	private boolean ended;

	private long receivedBytes;

	private IOException failure;

	/** When a reader started waiting for the web server to send more; 0 while nobody waits. */
	private volatile long waitingSince;

	BodyInputStream(Connection connection, ServerExchange exchange) {
		this.connection = connection;
		this.exchange = exchange;
	}

	/** Called with the connection's lock held. */
	void offer(byte[] chunk) {
		this.chunks.add(chunk);
		this.queuedBytes += chunk.length;
		this.receivedBytes += chunk.length;
	}

	/** Every byte offered so far, read or not. Called with the connection's lock held. */
	long receivedBytes() {
		return this.receivedBytes;
	}

	/**
	 * Makes every further read throw the exception, dropping what is queued. Called with the
	 * connection's lock held.
	 */
	void fail(IOException failure) {
		this.failure = failure;
		this.chunks.clear();
		this.current = null;
		this.queuedBytes = 0;
	}

	long waitingSince() {
		return this.waitingSince;
	}

	void waiting(long since) {
		this.waitingSince = since;
	}

	/** Called with the connection's lock held. */
	void end() {
		this.ended = true;
	}

	/** Called with the connection's lock held. */
	long queuedBytes() {
		return this.queuedBytes;
	}

	/** Called with the connection's lock held. */
	boolean isEnded() {
		return this.ended;
	}

	/** Whether a read can return without waiting. Called with the connection's lock held. */
	boolean isReadable() {
		return hasCurrent() || !this.chunks.isEmpty() || this.ended || this.exchange.isAborted()
				|| this.failure != null;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int n = read(one, 0, 1);
		return (n < 0) ? -1 : one[0] & 0xFF;
	}

	@Override
	public int read(byte[] target, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		this.connection.awaitInput(this);
		this.connection.lock();
		try {
			if (this.failure != null) {
				throw this.failure;
			}
			if (!hasCurrent()) {
				this.current = this.chunks.poll();
				this.position = 0;
				if (this.current == null) {
					if (this.exchange.isAborted() && !this.ended) {
						throw new IOException("Request " + this.exchange.requestId() + " was aborted by the web server");
					}
					return -1;
				}
			}
			int count = Math.min(length, this.current.length - this.position);
			System.arraycopy(this.current, this.position, target, offset, count);
			this.position += count;
			this.queuedBytes -= count;
			this.connection.signalProgress();
			return count;
		}
		finally {
			this.connection.unlock();
		}
	}

	@Override
	public int available() {
		this.connection.lock();
		try {
			return hasCurrent() ? this.current.length - this.position : 0;
		}
		finally {
			this.connection.unlock();
		}
	}

	private boolean hasCurrent() {
		return this.current != null && this.position < this.current.length;
	}

}
