package dev.fastcgi.server;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Buffers of one length shared by a server's connections: a connection takes its buffers here and
 * gives them back when it closes or waits idle, so that a web server opening a connection per
 * request does not make every request allocate (and the collector clear) them anew. Holds a
 * bounded number; what does not fit is left to the collector.
 *
 * @param <B> byte arrays, or direct byte buffers
 */
final class BufferPool<B> {

	private final int length;

	private final IntFunction<B> allocator;

	private final ToIntFunction<B> lengthOf;

	private final ArrayBlockingQueue<B> free;

	private BufferPool(int length, int capacity, IntFunction<B> allocator, ToIntFunction<B> lengthOf) {
		this.length = length;
		this.allocator = allocator;
		this.lengthOf = lengthOf;
		this.free = new ArrayBlockingQueue<>(capacity);
	}

	static BufferPool<byte[]> arrays(int length, int capacity) {
		return new BufferPool<>(length, capacity, byte[]::new, (array) -> array.length);
	}

	static BufferPool<ByteBuffer> direct(int length, int capacity) {
		return new BufferPool<>(length, capacity, ByteBuffer::allocateDirect, ByteBuffer::capacity);
	}

	static BufferPool<ByteBuffer> heap(int length, int capacity) {
		return new BufferPool<>(length, capacity, ByteBuffer::allocate, ByteBuffer::capacity);
	}

	B take() {
		B buffer = this.free.poll();
		return (buffer != null) ? buffer : this.allocator.apply(this.length);
	}

	/** A pooled buffer when the size fits in one, else a new buffer of that size, which {@link #give} leaves alone. */
	B take(int size) {
		return (size <= this.length) ? take() : this.allocator.apply(size);
	}

	/** Takes back a buffer no one uses any more; one of another length is left alone. */
	void give(B buffer) {
		if (this.lengthOf.applyAsInt(buffer) == this.length) {
			this.free.offer(buffer);
		}
	}

}
