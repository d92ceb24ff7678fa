package dev.fastcgi.client;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.fastcgi.protocol.DecodedEvent;
import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.EventRecorder;
import dev.fastcgi.protocol.ProtocolException;
import dev.fastcgi.protocol.RecordDecoder;

/**
 * Plays the application server with canned bytes: accepted connections run a script on a thread
 * of their own; a script's failure comes back through the future {@link #serve} returns.
 */
final class CannedServer implements Closeable {

	/** Long enough for any loopback exchange, short enough that a broken test fails soon. */
	static final Duration TIMEOUT = Duration.ofSeconds(5);

	@FunctionalInterface
	interface Script {

		void run(Peer peer) throws Exception;

	}

	private final ServerSocketChannel listener;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private CannedServer(ServerSocketChannel listener) {
		this.listener = listener;
	}

	static CannedServer tcp() throws IOException {
		ServerSocketChannel listener = ServerSocketChannel.open();
		listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		return new CannedServer(listener);
	}

	static CannedServer unix(Path socket) throws IOException {
		ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		listener.bind(UnixDomainSocketAddress.of(socket));
		return new CannedServer(listener);
	}

	FastCgiClient client() throws IOException {
		FastCgiClient client = (this.listener.getLocalAddress() instanceof UnixDomainSocketAddress unix)
				? FastCgiClient.unix(unix.getPath())
				: FastCgiClient.tcp("127.0.0.1", ((InetSocketAddress) this.listener.getLocalAddress()).getPort());
		return client.readTimeout(TIMEOUT);
	}

	/** Accepts the next connection and runs the script on it, then closes it. */
	Future<Void> serve(Script script) {
		return CompletableFuture.runAsync(() -> {
			try (SocketChannel channel = this.listener.accept()) {
				script.run(new Peer(channel));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}, this.executor);
	}

	@Override
	public void close() throws IOException {
		this.executor.shutdownNow();
		this.listener.close();
	}

	/** The server's end of one connection. */
	static final class Peer {

		private final SocketChannel channel;

		private final EventRecorder recorder = new EventRecorder(DecoderLimits.DEFAULTS);

		private final RecordDecoder decoder = new RecordDecoder(DecoderLimits.DEFAULTS, this.recorder);

		private final ByteBuffer buffer = ByteBuffer.allocate(8192);

		private int consumed;

		Peer(SocketChannel channel) {
			this.channel = channel;
		}

		/**
		 * Reads records until the event arrives after those an earlier call returned, and returns
		 * the events from there up to it.
		 */
		List<DecodedEvent> readUntil(DecodedEvent awaited) throws IOException, ProtocolException {
			int found;
			while ((found = indexOf(awaited)) < 0) {
				if (this.channel.read(this.buffer.clear()) < 0) {
					throw new EOFException("Client closed the connection before " + awaited);
				}
				this.decoder.decode(this.buffer.flip());
			}
			List<DecodedEvent> events = List.copyOf(this.recorder.events().subList(this.consumed, found + 1));
			this.consumed = found + 1;
			return events;
		}

		private int indexOf(DecodedEvent awaited) {
			List<DecodedEvent> events = this.recorder.events();
			int index = events.subList(this.consumed, events.size()).indexOf(awaited);
			return (index < 0) ? -1 : this.consumed + index;
		}

		/** Reads exactly that many bytes, as they are. */
		byte[] readBytes(int count) throws IOException {
			ByteBuffer bytes = ByteBuffer.allocate(count);
			while (bytes.hasRemaining()) {
				if (this.channel.read(bytes) < 0) {
					throw new EOFException("Client closed the connection after " + bytes.position() + " bytes");
				}
			}
			return bytes.array();
		}

		/** Reads until the client closes the connection, failing on any byte. */
		void readEndOfInput() throws IOException {
			int count = this.channel.read(this.buffer.clear());
			if (count >= 0) {
				throw new IllegalStateException("Expected the client to close, got " + count + " bytes");
			}
		}

		void write(byte[]... parts) throws IOException {
			for (byte[] part : parts) {
				ByteBuffer bytes = ByteBuffer.wrap(part);
				while (bytes.hasRemaining()) {
					this.channel.write(bytes);
				}
			}
		}

		/** Closes with a TCP reset instead of an orderly end of stream. */
		void reset() throws IOException {
			this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
			this.channel.close();
		}

	}

}
