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
 * Blocking reads and writes on a connection's socket. On virtual threads the channel blocks: the
 * JDK waits for it in its own poller. On platform threads the channel is non-blocking, so that
 * {@link IdleConnections} can wait for it between requests; a read or write in the middle of a
 * request that has to wait does so in a selector of the connection's own, opened when first
 * needed (an upload, a large response).
 */
final class ChannelIo {

	private final SocketChannel channel;

	private final boolean nonBlocking;

	/** Where a read waits, opened by the first read that has to. */
	private Selector readable;

	/** Where a write waits, opened by the first write that has to. */
	private Selector writable;

	private boolean closed;

	private ChannelIo(SocketChannel channel, boolean nonBlocking) {
		this.channel = channel;
		this.nonBlocking = nonBlocking;
	}

	/**
	 * @param virtualThreads whether the connection's threads are virtual
	 */
	static ChannelIo of(SocketChannel channel, boolean virtualThreads) throws IOException {
		if (!virtualThreads) {
			channel.configureBlocking(false);
		}
		return new ChannelIo(channel, !virtualThreads);
	}

	/** Whether {@link IdleConnections} can wait for this channel. */
	boolean isNonBlocking() {
		return this.nonBlocking;
	}

	SocketChannel channel() {
		return this.channel;
	}

	/** Reads at least one byte, or returns -1 at the end of input; one reader at a time. */
	int read(ByteBuffer buffer) throws IOException {
		return read(buffer, true);
	}

	/**
	 * @param wait whether to wait for input; without, a non-blocking channel may read nothing
	 * @return how many bytes were read, or -1 at the end of input
	 */
	int read(ByteBuffer buffer, boolean wait) throws IOException {
		int count;
		while ((count = this.channel.read(buffer)) == 0 && this.nonBlocking && wait) {
			await(selector(SelectionKey.OP_READ));
		}
		return count;
	}

	/** Writes some of the buffers, waiting until the socket takes some; one writer at a time. */
	void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
		if (this.channel.write(buffers, offset, length) == 0 && this.nonBlocking) {
			await(selector(SelectionKey.OP_WRITE));
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

	private void await(Selector selector) throws IOException {
		try {
			selector.select();
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
