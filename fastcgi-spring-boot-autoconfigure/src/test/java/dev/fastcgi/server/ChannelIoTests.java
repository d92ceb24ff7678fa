package dev.fastcgi.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reads and writes on a non-blocking channel (platform threads) that wait as a blocking channel
 * would, and end as one would when closed or interrupted.
 */
@Timeout(30)
class ChannelIoTests {

	@TempDir
	Path directory;

	private ServerSocketChannel listener;

	private SocketChannel peer;

	private SocketChannel accepted;

	@BeforeEach
	void connect() throws IOException {
		UnixDomainSocketAddress address = UnixDomainSocketAddress.of(this.directory.resolve("io.sock"));
		this.listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
		this.peer = SocketChannel.open(address);
		this.accepted = this.listener.accept();
	}

	@AfterEach
	void close() throws IOException {
		this.peer.close();
		this.accepted.close();
		this.listener.close();
	}

	@Test
	void theChannelBlocksUntilMadeNonBlocking() throws IOException {
		ChannelIo io = new ChannelIo(this.accepted, false);
		assertThat(io.isParkable()).isTrue();
		assertThat(this.accepted.isBlocking()).isTrue();
		io.makeNonBlocking();
		assertThat(this.accepted.isBlocking()).isFalse();
	}

	@Test
	void onVirtualThreadsTheConnectionIsNotParked() {
		assertThat(new ChannelIo(this.accepted, true).isParkable()).isFalse();
	}

	@Test
	void aReadWithoutWaitingReadsNothingWhenNothingCame() throws IOException {
		assertThat(nonBlockingIo().read(ByteBuffer.allocate(16), false)).isZero();
	}

	@Test
	void aReadWaitsForInputThatComesLater() throws Exception {
		ChannelIo io = nonBlockingIo();
		ByteBuffer buffer = ByteBuffer.allocate(16);
		Reader reader = Reader.start(() -> io.read(buffer, true));
		await().until(() -> isSelecting(reader.thread));
		this.peer.write(ByteBuffer.wrap("late".getBytes()));
		assertThat(reader.result()).isEqualTo(4);
		this.peer.close();
		assertThat(io.read(ByteBuffer.allocate(16), true)).isEqualTo(-1);
	}

	@Test
	void aWriteLargerThanTheSocketBuffersWaitsForThePeerAndLosesNothing() throws Exception {
		ChannelIo io = nonBlockingIo();
		byte[] sent = new byte[8 * 1024 * 1024];
		new Random(7).nextBytes(sent);
		CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(this::readAllFromPeer);
		ByteBuffer[] buffers = { ByteBuffer.wrap(sent, 0, 1000), ByteBuffer.wrap(sent, 1000, sent.length - 1000) };
		while (buffers[1].hasRemaining()) {
			io.write(buffers, buffers[0].hasRemaining() ? 0 : 1, buffers[0].hasRemaining() ? 2 : 1);
		}
		io.close();
		assertThat(Arrays.equals(received.get(20, TimeUnit.SECONDS), sent)).isTrue();
	}

	@Test
	void closingWakesAReaderWaitingForInput() throws Exception {
		ChannelIo io = nonBlockingIo();
		Reader reader = Reader.start(() -> io.read(ByteBuffer.allocate(16), true));
		await().until(() -> isSelecting(reader.thread));
		io.close();
		assertThat(reader.failure()).isInstanceOf(AsynchronousCloseException.class);
	}

	@Test
	void interruptingAReaderWaitingForInputClosesTheChannel() throws Exception {
		ChannelIo io = nonBlockingIo();
		Reader reader = Reader.start(() -> io.read(ByteBuffer.allocate(16), true));
		await().until(() -> isSelecting(reader.thread));
		reader.thread.interrupt();
		assertThat(reader.failure()).isInstanceOf(ClosedByInterruptException.class);
		assertThat(this.accepted.isOpen()).isFalse();
	}

	private ChannelIo nonBlockingIo() throws IOException {
		ChannelIo io = new ChannelIo(this.accepted, false);
		io.makeNonBlocking();
		return io;
	}

	private static boolean isSelecting(Thread thread) {
		return Arrays.stream(thread.getStackTrace()).anyMatch((frame) -> frame.getMethodName().equals("select"));
	}

	private byte[] readAllFromPeer() {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		try {
			while (this.peer.read(buffer) >= 0) {
				// slower than the writer, so that the socket buffers fill up
				Thread.sleep(1);
				received.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
		return received.toByteArray();
	}

	/** A read on a thread of its own, for a test to see it wait. */
	private static final class Reader {

		private final Thread thread;

		private final CompletableFuture<Integer> outcome = new CompletableFuture<>();

		private Reader(IoCall call) {
			this.thread = new Thread(() -> {
				try {
					this.outcome.complete(call.run());
				}
				catch (IOException ex) {
					this.outcome.completeExceptionally(ex);
				}
			});
		}

		static Reader start(IoCall call) {
			Reader reader = new Reader(call);
			reader.thread.start();
			return reader;
		}

		int result() throws Exception {
			return this.outcome.get(20, TimeUnit.SECONDS);
		}

		Throwable failure() throws InterruptedException {
			this.thread.join(20_000);
			return this.outcome.handle((result, failure) -> failure).getNow(null);
		}

	}

	@FunctionalInterface
	private interface IoCall {

		int run() throws IOException;

	}

}
