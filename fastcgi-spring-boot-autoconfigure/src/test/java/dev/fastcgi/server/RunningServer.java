package dev.fastcgi.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.protocol.ProtocolError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A {@link FastCgiServer} started in-process with a test's handler and settings, with clients
 * for it and what it reported. Closing it stops the server.
 */
final class RunningServer implements AutoCloseable {

	/** How long a test waits for anything before it fails; never a measure of speed. */
	static final Duration PATIENCE = Duration.ofSeconds(20);

	private final ExecutorService executor;

	private final List<ProtocolError> protocolErrors = new CopyOnWriteArrayList<>();

	private final List<ServerTimeout> timeouts = new CopyOnWriteArrayList<>();

	private final List<ClientRejection> clientRejections = new CopyOnWriteArrayList<>();

	private final List<AbortCause> aborts = new CopyOnWriteArrayList<>();

	private final List<Duration> slowRequests = new CopyOnWriteArrayList<>();

	private final Semaphore connectionsClosed = new Semaphore(0);

	private final ServerSettings settings;

	private final FastCgiServer server;

	private RunningServer(ServerSettings settings, FastCgiHandler handler, int maxThreads) throws IOException {
		this.executor = ServerThreads.create(false, maxThreads);
		this.settings = settings;
		this.server = new FastCgiServer(settings, handler, this.executor, new ServerListener() {

			@Override
			public void protocolError(ProtocolError error) {
				RunningServer.this.protocolErrors.add(error);
			}

			@Override
			public void connectionClosed() {
				RunningServer.this.connectionsClosed.release();
			}

			@Override
			public void timedOut(ServerTimeout timeout) {
				RunningServer.this.timeouts.add(timeout);
			}

			@Override
			public void clientRejected(ClientRejection rejection) {
				RunningServer.this.clientRejections.add(rejection);
			}

			@Override
			public void slowRequest(Duration duration) {
				RunningServer.this.slowRequests.add(duration);
			}

			@Override
			public void requestAborted(AbortCause cause) {
				RunningServer.this.aborts.add(cause);
			}

		});
		try {
			this.server.start();
		}
		catch (IOException | RuntimeException ex) {
			this.executor.shutdownNow();
			throw ex;
		}
	}

	/** Settings for a server on a free TCP port of the loopback interface, to adjust further. */
	static ServerSettings settings() {
		return new ServerSettings().setAddress(new ListenAddress.Tcp("127.0.0.1", 0));
	}

	/** Starts a server with default settings on a free TCP port. */
	static RunningServer start(FastCgiHandler handler) throws IOException {
		return start(settings(), handler);
	}

	static RunningServer start(ServerSettings settings, FastCgiHandler handler) throws IOException {
		return start(settings, handler, 64);
	}

	/** Starts a server whose connections and requests share at most {@code maxThreads} threads. */
	static RunningServer start(ServerSettings settings, FastCgiHandler handler, int maxThreads) throws IOException {
		return new RunningServer(settings, handler, maxThreads);
	}

	FastCgiServer server() {
		return this.server;
	}

	/** A new client for the server, over TCP or the UNIX socket it listens on. */
	FastCgiClient client() {
		FastCgiClient client = (this.settings.getAddress() instanceof ListenAddress.UnixSocket unix)
				? FastCgiClient.unix(unix.path()) : FastCgiClient.tcp("127.0.0.1", this.server.getPort());
		return client.readTimeout(PATIENCE);
	}

	/** A new connection for raw bytes. */
	RawConnection raw() throws IOException {
		return client().openRaw();
	}

	/** The protocol errors the server reported, in order. */
	List<ProtocolError> protocolErrors() {
		return this.protocolErrors;
	}

	/** The time limits that ran out, in order. */
	List<ServerTimeout> timeouts() {
		return this.timeouts;
	}

	/** Why connections were refused when accepted, in order. */
	List<ClientRejection> clientRejections() {
		return this.clientRejections;
	}

	/** How requests in progress were aborted, in order. */
	List<AbortCause> aborts() {
		return this.aborts;
	}

	/** How long the requests reported as slow took. */
	List<Duration> slowRequests() {
		return this.slowRequests;
	}

	/** How many of the server's platform threads are running a task. */
	int busyThreads() {
		return ((ThreadPoolExecutor) this.executor).getActiveCount();
	}

	/** Waits until the server has finished with as many more connections. */
	void awaitConnectionsClosed(int count) throws InterruptedException {
		if (!this.connectionsClosed.tryAcquire(count, PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("The server did not finish with " + count + " connections within " + PATIENCE);
		}
	}

	@Override
	public void close() {
		this.server.stop();
		this.executor.shutdownNow();
	}

	/** Writes a CGI response with status 200, a plain text type and the body. */
	/** What {@link #breakOffAfterPart} writes before it breaks the response off. */
	static final String HEAD_AND_PART = "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\npart of the body";

	/** A handler whose response fails once part of it is written, and so breaks off. */
	static void breakOffAfterPart(FastCgiExchange exchange) throws IOException {
		exchange.stdout().write(HEAD_AND_PART.getBytes(StandardCharsets.ISO_8859_1));
		exchange.breakOff();
	}

	static void respond(FastCgiExchange exchange, String body) throws IOException {
		exchange.stdout()
			.write(("Status: 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + body)
				.getBytes(StandardCharsets.UTF_8));
	}

	/** A handler answering with the request body, STDIN read to its end, as UTF-8 text. */
	static void echoBody(FastCgiExchange exchange) throws IOException {
		respond(exchange, new String(exchange.stdin().readAllBytes(), StandardCharsets.UTF_8));
	}

	/** Waits for the latch, failing the test (or the handler) when it takes longer than {@link #PATIENCE}. */
	static void await(CountDownLatch latch) {
		try {
			if (!latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("A latch was not counted down within " + PATIENCE);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for a latch", ex);
		}
	}

	/**
	 * Reads from the raw connection until what arrived satisfies the condition, failing when the
	 * connection ends or {@link #PATIENCE} runs out first.
	 */
	static RawReply readUntil(RawConnection raw, Predicate<RawReply> condition) throws IOException {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (true) {
			RawReply reply = raw.read(Duration.ofMillis(50));
			if (condition.test(reply)) {
				return reply;
			}
			if (reply.ending() != RawReply.Ending.QUIET || System.nanoTime() > deadline) {
				fail("The awaited reply did not arrive; the connection ended %s after %d responses, %d management "
						+ "records and error %s", reply.ending(), reply.responses().size(),
						reply.managementRecords().size(), reply.error());
			}
		}
	}

	/**
	 * Sends one request and reads what a response broken off leaves: the server closes the
	 * connection without END_REQUEST.
	 */
	static RawReply readBrokenOff(RawConnection raw, boolean keepConnection) throws IOException {
		raw.write(RawRecords.request(1, keepConnection, ""));
		RawReply reply = raw.read(PATIENCE);
		assertThat(reply.ending()).isEqualTo(RawReply.Ending.CLOSED);
		assertThat(reply.responses()).as("no END_REQUEST").isEmpty();
		return reply;
	}

	/** Reads from the raw connection until the server closes or resets it. */
	static RawReply readToEnd(RawConnection raw) throws IOException {
		RawReply reply = readUntil(raw, (received) -> received.ending() != RawReply.Ending.QUIET);
		assertThat(reply.error()).as("what the server sent is well-formed").isNull();
		return reply;
	}

}
