package dev.fastcgi.server;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Buffers of one length shared by a server's connections: a connection takes its buffers here and
 * gives them back when it closes or waits idle, so that a web server opening a connection per
 * request does not make every request allocate (and the collector clear) them anew. Holds a
 * bounded number; what does not fit is left to the collector. Lock-free, as every request takes
 * and gives buffers here; the last given is taken first, while its memory is still in a cache.
 *
 * @param <B> byte arrays, or direct byte buffers
 */
final class BufferPool<B> {

	private final int length;

	private final IntFunction<B> allocator;

	private final ToIntFunction<B> lengthOf;

	private final int capacity;

	private final ConcurrentLinkedDeque<B> free = new ConcurrentLinkedDeque<>();

	/** How many {@link #free} holds, or is about to: the deque's own size is counted by a walk. */
	private final AtomicInteger count = new AtomicInteger();

	private BufferPool(int length, int capacity, IntFunction<B> allocator, ToIntFunction<B> lengthOf) {
		this.length = length;
		this.allocator = allocator;
		this.lengthOf = lengthOf;
		this.capacity = capacity;
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
		B buffer = this.free.pollFirst();
		if (buffer == null) {
			return this.allocator.apply(this.length);
		}
		this.count.decrementAndGet();
		return buffer;
	}

	/** A pooled buffer when the size fits in one, else a new buffer of that size, which {@link #give} leaves alone. */
	B take(int size) {
		return (size <= this.length) ? take() : this.allocator.apply(size);
	}

	/** Takes back a buffer no one uses any more; one of another length is left alone. */
	void give(B buffer) {
		if (this.lengthOf.applyAsInt(buffer) != this.length) {
			return;
		}
		if (this.count.incrementAndGet() > this.capacity) {
			this.count.decrementAndGet();
			return;
		}
		this.free.offerFirst(buffer);
	}

}
