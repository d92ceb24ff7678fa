package dev.fastcgi.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a connection: whole records from any thread go out one after another, so
 * that two requests multiplexed on a connection never interleave inside a record.
 */
final class ConnectionWriter {

	private final ChannelIo io;

	private final ReentrantLock lock = new ReentrantLock();

	private final Runnable onFailure;

	private volatile IOException failure;

	/**
	 * @param onFailure run once when a write fails: the web server is gone, so every request on the
	 * connection is
	 */
	ConnectionWriter(ChannelIo io, Runnable onFailure) {
		this.io = io;
		this.onFailure = onFailure;
	}

	void write(byte[] records) throws IOException {
		write(ByteBuffer.wrap(records));
	}

	void write(ByteBuffer... buffers) throws IOException {
		IOException failed = null;
		this.lock.lock();
		try {
			if (this.failure != null) {
				throw new IOException("Connection to the web server failed earlier", this.failure);
			}
			try {
				int first = 0;
				while ((first = firstWithRemaining(buffers, first)) < buffers.length) {
					// from the first unfinished buffer: junixsocket's channels write only the first one given
					this.io.write(buffers, first, buffers.length - first);
				}
			}
			catch (IOException ex) {
				this.failure = ex;
				failed = ex;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (failed != null) {
			this.onFailure.run();
			throw failed;
		}
	}

	/** Writes records where a failure only matters to the connection, not to the caller. */
	void writeQuietly(byte[] records) {
		try {
			write(records);
		}
		catch (IOException ex) {
			// already recorded; the connection closes
		}
	}

	boolean hasFailed() {
		return this.failure != null;
	}

	private static int firstWithRemaining(ByteBuffer[] buffers, int from) {
		int index = from;
		while (index < buffers.length && !buffers[index].hasRemaining()) {
			index++;
		}
		return index;
	}

}
