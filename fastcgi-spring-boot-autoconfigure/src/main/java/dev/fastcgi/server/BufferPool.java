package dev.fastcgi.server;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Byte arrays of one length shared by a server's connections: a connection takes its buffers
 * here and gives them back when it closes or waits idle, so that a web server opening a
 * connection per request does not make every request allocate (and the collector clear) them
 * anew. Holds a bounded number; what does not fit is left to the collector.
 */
final class BufferPool {

	private final int length;

	private final ArrayBlockingQueue<byte[]> free;

	BufferPool(int length, int capacity) {
		this.length = length;
		this.free = new ArrayBlockingQueue<>(capacity);
	}

	int length() {
		return this.length;
	}

	byte[] take() {
		byte[] buffer = this.free.poll();
		return (buffer != null) ? buffer : new byte[this.length];
	}

	/** Takes back an array no one uses any more; one of another length is left alone. */
	void give(byte[] buffer) {
		if (buffer.length == this.length) {
			this.free.offer(buffer);
		}
	}

}
