package dev.fastcgi.server;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Blocking reads and writes on a connection's socket. The channel blocks until the connection
 * first waits with the {@link IdleConnections} (platform threads only; on virtual threads the JDK
 * waits for the channel in its own poller), then stays non-blocking: a read or write in the middle
 * of a request that has to wait then does so in a selector of the connection's own, opened when
 * first needed (an upload, a large response). Until then, a connection's first request, which
 * comes right behind the connect, is read without a hand-over between threads.
 */
final class ChannelIo {

	private final SocketChannel channel;

	private final boolean parkable;

	private volatile boolean nonBlocking;

	/** Where a read waits, opened by the first read that has to. */
	private Selector readable;

	/** Where a write waits, opened by the first write that has to. */
	private Selector writable;

	private boolean closed;

	/**
	 * @param virtualThreads whether the connection's threads are virtual
	 */
	ChannelIo(SocketChannel channel, boolean virtualThreads) {
		this.channel = channel;
		this.parkable = !virtualThreads;
	}

	/** Whether the connection may wait with the {@link IdleConnections}. */
	boolean isParkable() {
		return this.parkable;
	}

	boolean isNonBlocking() {
		return this.nonBlocking;
	}

	/** Makes the channel non-blocking for good; while nobody reads or writes it. */
	void makeNonBlocking() throws IOException {
		if (!this.nonBlocking) {
			this.channel.configureBlocking(false);
			this.nonBlocking = true;
		}
	}

	SocketChannel channel() {
		return this.channel;
	}

	/**
	 * Reads what has come, one reader at a time.
	 * @param wait whether to wait for at least one byte; without, a non-blocking channel may read
	 * nothing
	 * @return how many bytes were read, or -1 at the end of input
	 */
	int read(ByteBuffer buffer, boolean wait) throws IOException {
		int count;
		while ((count = this.channel.read(buffer)) == 0 && this.nonBlocking && wait) {
			await(selector(SelectionKey.OP_READ), 0);
		}
		return count;
	}

	/**
	 * Waits for input without reading it, one reader at a time; the channel is non-blocking.
	 * @return whether input (or its end) came before the timeout
	 */
	boolean awaitInput(long timeoutMillis) throws IOException {
		return await(selector(SelectionKey.OP_READ), timeoutMillis) > 0;
	}

	/** Closes the selector reads wait in, if any, so that an idle connection holds no descriptor but its socket's. */
	synchronized void closeReadSelector() {
		closeQuietly(this.readable);
		this.readable = null;
	}

	/** Writes some of the buffers, waiting until the socket takes some; one writer at a time. */
	void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
		if (this.channel.write(buffers, offset, length) == 0 && this.nonBlocking) {
			await(selector(SelectionKey.OP_WRITE), 0);
		}
	}

	private synchronized Selector selector(int operation) throws IOException {
		if (this.closed) {
			throw new AsynchronousCloseException();
		}
		Selector selector = (operation == SelectionKey.OP_READ) ? this.readable : this.writable;
		if (selector == null) {
			selector = this.channel.provider().openSelector();
			try {
				this.channel.register(selector, operation);
			}
			catch (IOException | RuntimeException ex) {
				selector.close();
				throw ex;
			}
			if (operation == SelectionKey.OP_READ) {
				this.readable = selector;
			}
			else {
				this.writable = selector;
			}
		}
		return selector;
	}

	/** @param timeoutMillis how long to wait at most, or 0 for as long as it takes */
	private int await(Selector selector, long timeoutMillis) throws IOException {
		int selected;
		try {
			selected = selector.select(timeoutMillis);
			selector.selectedKeys().clear();
		}
		catch (ClosedSelectorException ex) {
			throw new AsynchronousCloseException();
		}
		if (Thread.currentThread().isInterrupted()) {
			// as an interrupted blocking channel does; a selector would return at once forever
			close();
			throw new ClosedByInterruptException();
		}
		return selected;
	}

	/** Closes the channel and wakes whoever waits on it. */
	void close() {
		Selector readableToClose;
		Selector writableToClose;
		synchronized (this) {
			this.closed = true;
			readableToClose = this.readable;
			writableToClose = this.writable;
		}
		closeQuietly(this.channel);
		closeQuietly(readableToClose);
		closeQuietly(writableToClose);
	}

	private static void closeQuietly(Closeable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
