package dev.fastcgi.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * STDIN or DATA of one request as the handler reads it. Content arrives from whichever thread
 * reads the connection; when nothing is queued, the reading handler reads the connection itself
 * (see {@link Connection#awaitInput}), so a request served on the connection's thread needs no
 * other thread. All state is guarded by the connection's lock.
 */
final class BodyInputStream extends InputStream {

	private final Connection connection;

	private final ServerExchange exchange;

	/** Sized for the usual case, a chunk or two at a time: most bodies are empty or read as they come. */
	private final ArrayDeque<Chunk> chunks = new ArrayDeque<>(2);

	private Chunk current;

	private int position;

	private long queuedBytes;

	private boolean ended;

	/** Whether the handler has begun to read, so reads the connection itself until the end. */
	private boolean beingRead;

	private long receivedBytes;

	private IOException failure;

	/**
	 * The array of a read waiting for input, which content fills as it is decoded, sparing it
	 * the copy through a chunk; {@code null} while no read waits or once something is queued.
	 */
	private byte[] waitingTarget;

	private int waitingOffset;

	private int waitingLength;

	/** How much of the waiting read's array is filled. */
	private int filled;

	/** When a reader started waiting for the web server to send more; 0 while nobody waits. */
	private volatile long waitingSince;

	BodyInputStream(Connection connection, ServerExchange exchange) {
		this.connection = connection;
		this.exchange = exchange;
	}

	/**
	 * Copies what a waiting read can take of the content straight into its array, as long as
	 * nothing is queued before it. Called with the connection's lock held.
	 */
	void fillWaitingRead(ByteBuffer content) {
		if (this.waitingTarget == null || hasCurrent() || !this.chunks.isEmpty() || this.failure != null) {
			return;
		}
		int count = Math.min(content.remaining(), this.waitingLength - this.filled);
		content.get(this.waitingTarget, this.waitingOffset + this.filled, count);
		this.filled += count;
		this.receivedBytes += count;
	}

	/** Called with the connection's lock held. */
	void offer(Chunk chunk) {
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
		recycleCurrent();
		Chunk queued;
		while ((queued = this.chunks.poll()) != null) {
			this.connection.recycle(queued);
		}
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

	/**
	 * Whether the handler is in the middle of reading: it has begun and the body has not ended.
	 * Called with the connection's lock held.
	 */
	boolean isBeingRead() {
		return this.beingRead && !this.ended;
	}

	/** Called with the connection's lock held. */
	boolean isEnded() {
		return this.ended;
	}

	/** Whether a read can return without waiting. Called with the connection's lock held. */
	boolean isReadable() {
		return this.filled > 0 || hasCurrent() || !this.chunks.isEmpty() || this.ended || this.exchange.isAborted()
				|| this.failure != null;
	}

	@Override
	public int read() throws IOException {
		if (!prepareRead()) {
			return -1;
		}
		try {
			return this.current.bytes[this.position++] & 0xFF;
		}
		finally {
			consumed(1);
		}
	}

	@Override
	public int read(byte[] target, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, target.length);
		if (length == 0) {
			return 0;
		}
		waitWith(target, offset, length);
		if (!prepareRead()) {
			return -1;
		}
		if (this.filled > 0) {
			int count = this.filled;
			this.filled = 0;
			// never queued, so nothing to take off the queued bytes
			consumed(0);
			return count;
		}
		int count = Math.min(length, this.current.length - this.position);
		try {
			System.arraycopy(this.current.bytes, this.position, target, offset, count);
			this.position += count;
		}
		finally {
			consumed(count);
		}
		return count;
	}

	/** Takes the read's array back, dropping what was filled: the read fails. Called with the connection's lock held. */
	private void stopFilling() {
		this.waitingTarget = null;
		this.filled = 0;
	}

	/** Offers the read's array to be filled while it waits for input. */
	private void waitWith(byte[] target, int offset, int length) {
		this.connection.lock();
		try {
			this.waitingTarget = target;
			this.waitingOffset = offset;
			this.waitingLength = length;
		}
		finally {
			this.connection.unlock();
		}
	}

	/**
	 * Waits for input and makes {@link #current} the chunk to read from, unless content filled
	 * the read's array meanwhile ({@link #filled}), taking the connection's lock;
	 * {@link #consumed} releases it. Releases it itself when returning {@code false} at the
	 * end of the body or throwing.
	 */
	private boolean prepareRead() throws IOException {
		try {
			this.connection.awaitInput(this);
		}
		catch (IOException | RuntimeException ex) {
			this.connection.lock();
			try {
				stopFilling();
			}
			finally {
				this.connection.unlock();
			}
			throw ex;
		}
		this.connection.lock();
		// from here on only the caller touches its array
		this.waitingTarget = null;
		boolean readable = false;
		try {
			this.beingRead = true;
			if (this.failure != null) {
				stopFilling();
				throw this.failure;
			}
			if (this.filled > 0) {
				readable = true;
				return true;
			}
			if (this.current == null) {
				this.current = this.chunks.poll();
				this.position = 0;
				if (this.current == null) {
					if (this.exchange.isAborted() && !this.ended) {
						throw new RequestAbortedException("Request " + this.exchange.requestId() + " was aborted by the web server");
					}
					return false;
				}
			}
			readable = true;
			return true;
		}
		finally {
			if (!readable) {
				this.connection.unlock();
			}
		}
	}

	private void consumed(int count) {
		try {
			this.queuedBytes -= count;
			if (!hasCurrent()) {
				// before the handler's next read fills new chunks
				recycleCurrent();
			}
			this.connection.signalProgress();
		}
		finally {
			this.connection.unlock();
		}
	}

	private void recycleCurrent() {
		if (this.current != null) {
			this.connection.recycle(this.current);
			this.current = null;
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

	/**
	 * Body bytes as they came in one record, in an array the connection hands out again once they
	 * are read, so that an upload on a kept connection allocates no garbage per record.
	 */
	static final class Chunk {

		final byte[] bytes;

		int length;

		Chunk(byte[] bytes) {
			this.bytes = bytes;
		}

	}

}
