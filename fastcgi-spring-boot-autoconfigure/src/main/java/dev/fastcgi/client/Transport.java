package dev.fastcgi.client;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A socket channel in non-blocking mode behind a selector, so that every wait has a timeout (a
 * blocking channel has none, and UNIX channels have no socket adaptor to set one on) and so that
 * bytes the server sends while a long request is still being written are read instead of
 * deadlocking both sides.
 */
final class Transport implements Closeable {

	/** Where received bytes go; the buffer is only valid during the call. */
	@FunctionalInterface
	interface Inbound {

		void received(ByteBuffer bytes) throws IOException;

	}

	enum ReadResult {

		DATA, END_OF_INPUT, TIMED_OUT

	}

	private final SocketChannel channel;

	private final Selector selector;

	private final SelectionKey key;

	private final Inbound inbound;

	private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);

	private boolean inputEnded;

	private Transport(SocketChannel channel, Selector selector, Inbound inbound) throws IOException {
		this.channel = channel;
		this.selector = selector;
		this.key = channel.register(selector, 0);
		this.inbound = inbound;
	}

	static Transport connect(SocketAddress address, Duration timeout, Inbound inbound) throws IOException {
		SocketChannel channel = (address instanceof UnixDomainSocketAddress)
				? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
		Selector selector = null;
		try {
			channel.configureBlocking(false);
			if (address instanceof InetSocketAddress) {
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			}
			selector = Selector.open();
			Transport transport = new Transport(channel, selector, inbound);
			if (!channel.connect(address)) {
				if (!transport.await(SelectionKey.OP_CONNECT, timeout)) {
					throw new SocketTimeoutException("Could not connect to " + address + " within " + timeout);
				}
				channel.finishConnect();
			}
			return transport;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			if (selector != null) {
				selector.close();
			}
			throw ex;
		}
	}

	/**
	 * Writes all bytes, passing whatever arrives meanwhile to the inbound.
	 * @throws SocketTimeoutException when the server takes no byte for the whole timeout
	 */
	void write(ByteBuffer bytes, Duration timeout) throws IOException {
		while (bytes.hasRemaining()) {
			if (this.channel.write(bytes) > 0) {
				continue;
			}
			int interest = SelectionKey.OP_WRITE | (this.inputEnded ? 0 : SelectionKey.OP_READ);
			if (!await(interest, timeout)) {
				throw new SocketTimeoutException("The server took no bytes for " + timeout);
			}
			if (this.key.isReadable()) {
				readAvailable();
			}
		}
	}

	/** Waits up to the timeout for bytes and passes them to the inbound. */
	ReadResult read(Duration timeout) throws IOException {
		if (this.inputEnded) {
			return ReadResult.END_OF_INPUT;
		}
		while (await(SelectionKey.OP_READ, timeout)) {
			if (readAvailable()) {
				return ReadResult.DATA;
			}
			if (this.inputEnded) {
				return ReadResult.END_OF_INPUT;
			}
		}
		return ReadResult.TIMED_OUT;
	}

	/** Passes bytes already received to the inbound without waiting; false when none had arrived. */
	boolean readAvailable() throws IOException {
		int count = this.channel.read(this.readBuffer.clear());
		if (count < 0) {
			this.inputEnded = true;
			return false;
		}
		if (count == 0) {
			return false;
		}
		this.inbound.received(this.readBuffer.flip());
		return true;
	}

	boolean isInputEnded() {
		return this.inputEnded;
	}

	void shutdownOutput() throws IOException {
		this.channel.shutdownOutput();
	}

	@Override
	public void close() throws IOException {
		try {
			this.channel.close();
		}
		finally {
			this.selector.close();
		}
	}

	private boolean await(int interest, Duration timeout) throws IOException {
		this.key.interestOps(interest);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999);
			if (remainingMillis <= 0) {
				return false;
			}
			int ready = this.selector.select(remainingMillis);
			this.selector.selectedKeys().clear();
			if (ready > 0) {
				return true;
			}
		}
	}

}
