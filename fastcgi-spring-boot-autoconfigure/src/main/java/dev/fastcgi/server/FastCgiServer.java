package dev.fastcgi.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.fastcgi.protocol.ProtocolException;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecentStrings;
import dev.fastcgi.protocol.RecordEncoder;

/**
 * A FastCGI application server: listens where {@link ServerSettings} says, accepts connections
 * from the web server and hands each complete request to a {@link FastCgiHandler}. Blocking I/O,
 * a thread per connection taken from the given executor.
 */
public final class FastCgiServer {

	private static final Log logger = LogFactory.getLog(FastCgiServer.class);

	/** How often a refused client is logged at WARN; the others go to DEBUG, so a flood cannot fill the log. */
	private static final Duration REJECTION_WARNING_INTERVAL = Duration.ofMinutes(1);

	/** Also how soon a long request on a connection thread gets a reader beside it. */
	private static final Duration LONGEST_SWEEP_INTERVAL = Duration.ofMillis(100);

	private static final Duration SHORTEST_SWEEP_INTERVAL = Duration.ofMillis(10);

	private static final int ACCEPTORS = 2;

	/**
	 * How often an acceptor waiting for the turn looks in on one that kept it to serve: a slow
	 * handler holds up new connections for at most two of these. A thousand wake-ups a second,
	 * and only while connections come one at a time.
	 */
	private static final Duration ACCEPT_WATCH_INTERVAL = Duration.ofMillis(1);

	/**
	 * An accept returning sooner found its connection queued, behind the one served before (2-8 µs
	 * where one that waits takes 16 µs and more): an acceptor serving it would keep the next waiting.
	 */
	private static final long QUEUED_ACCEPT_NANOS = TimeUnit.MICROSECONDS.toNanos(10);

	/** Arrays each array {@link BufferPool} keeps for the next connection. */
	private static final int POOLED_ARRAYS = 64;

	/**
	 * Buffers each read or record {@link BufferPool} keeps: as many as threads read or write at
	 * once under load (Tomcat's 200 threads and the acceptors), so that a busy server does not
	 * allocate direct buffers, which the JDK frees only after a collection; at most about 5 MB
	 * for reading and 4 MB for records.
	 */
	private static final int POOLED_IO_BUFFERS = 256;

	/**
	 * 64 KB record buffers kept: one is held only while a large write is copied and sent, so far
	 * fewer at once than requests in flight; at most 4 MB.
	 */
	private static final int POOLED_LARGE_RECORD_BUFFERS = 64;

	private final ServerSettings settings;

	private final FastCgiHandler handler;

	private final Executor executor;

	/** The executor when it is the pool of platform threads, whose load the server looks at; else {@code null}. */
	private final WorkerPool workerPool;

	private final ServerListener events;

	private final Semaphore connectionPermits;

	private final AtomicInteger activeRequests = new AtomicInteger();

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService timer;

	private final ClientAccess access;

	private final AtomicLong nextRejectionWarning = new AtomicLong(System.nanoTime());

	private final RecentStrings recentStrings = new RecentStrings();

	private final BufferPool<byte[]> outputBuffers = BufferPool.arrays(ServerExchange.OUTPUT_BUFFER_LENGTH,
			POOLED_ARRAYS);

	private final BufferPool<ByteBuffer> recordBuffers = BufferPool.direct(ServerExchange.OUTPUT_BUFFER_LENGTH,
			POOLED_IO_BUFFERS);

	private final BufferPool<ByteBuffer> largeRecordBuffers = BufferPool.direct(RecordEncoder.MAX_RECORD_LENGTH,
			POOLED_LARGE_RECORD_BUFFERS);

	private final BufferPool<byte[]> bodyChunks = BufferPool.arrays(Connection.READ_BUFFER_SIZE, POOLED_ARRAYS);

	/** Made at the start, when the kind of threads is known: see {@link #readBufferPool}. */
	private volatile BufferPool<ByteBuffer> firstReadBuffers;

	private volatile BufferPool<ByteBuffer> readBuffers;

	private volatile Listener listener;

	/**
	 * Two, so that one can serve a connection it accepted while the other accepts: see
	 * {@link #servesInline}. Guarded by this server's monitor (start and stop).
	 */
	private final List<Thread> acceptors = new ArrayList<>(ACCEPTORS);

	private final AcceptTurn acceptTurn = new AcceptTurn(ACCEPT_WATCH_INTERVAL);

	private volatile boolean shuttingDown;

	/** Whether connections run on virtual threads, which wait for their sockets differently; known once started. */
	private volatile boolean virtualThreads;

	/** Where connections on platform threads wait between requests; {@code null} on virtual threads. */
	private volatile IdleConnections idleConnections;

	/**
	 * @param executor runs connections and multiplexed requests: {@link ServerThreads#create}'s, a
	 * {@link WorkerPool} of platform threads (kept connections leave their thread between
	 * requests) or a virtual thread per task (a connection keeps its thread for its whole life)
	 * @param events told of what happens, for metrics; {@link ServerListener#NONE} for nothing
	 */
	public FastCgiServer(ServerSettings settings, FastCgiHandler handler, Executor executor, ServerListener events) {
		this.settings = settings;
		this.handler = handler;
		this.executor = executor;
		this.workerPool = (executor instanceof WorkerPool pool) ? pool : null;
		this.events = events;
		this.connectionPermits = new Semaphore(settings.getMaxConnections());
		this.access = new ClientAccess(settings);
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "fastcgi-timer");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** Opens the listening socket and starts accepting connections. */
	public synchronized void start() throws IOException {
		if (this.listener != null) {
			return;
		}
		this.listener = Listener.open(this.settings);
		warnIfOpenToTheNetwork(this.listener);
		Duration sweepInterval = sweepInterval();
		this.timer.scheduleWithFixedDelay(this::enforceTimeouts, sweepInterval.toNanos(), sweepInterval.toNanos(),
				TimeUnit.NANOSECONDS);
		this.virtualThreads = ServerThreads.runsVirtualThreads(this.executor);
		this.firstReadBuffers = readBufferPool(Connection.FIRST_READ_BUFFER_SIZE);
		this.readBuffers = readBufferPool(Connection.READ_BUFFER_SIZE);
		if (!this.virtualThreads) {
			this.idleConnections = new IdleConnections(this.listener.channel().provider());
		}
		this.events.serverStarted(this);
		for (int number = 1; number <= ACCEPTORS; number++) {
			Thread thread = new Thread(this::acceptLoop, "fastcgi-acceptor-" + number);
			// not a daemon: like Tomcat's, the listener keeps the application running
			thread.setDaemon(false);
			this.acceptors.add(thread);
			thread.start();
		}
	}

	private void warnIfOpenToTheNetwork(Listener opened) throws IOException {
		SocketAddress local = opened.channel().getLocalAddress();
		if (ClientAccess.isInet(local) && !((InetSocketAddress) local).getAddress().isLoopbackAddress()
				&& !this.settings.getAllowedClients().isRestricted()) {
			logger.warn("FastCGI server listens on " + opened + ", beyond the loopback interface, and accepts "
					+ "connections from any address: anyone who can reach it can send requests as the web server "
					+ "(with any REMOTE_USER or REMOTE_ADDR). Set fastcgi.allowed-clients or FCGI_WEB_SERVER_ADDRS");
		}
	}

	/** A quarter of the shortest timeout, within bounds: timeouts are enforced no later than that after they run out. */
	private Duration sweepInterval() {
		Duration interval = LONGEST_SWEEP_INTERVAL;
		for (Duration timeout : this.settings.timeouts()) {
			Duration quarter = timeout.dividedBy(4);
			if (quarter.compareTo(interval) < 0) {
				interval = quarter;
			}
		}
		return (interval.compareTo(SHORTEST_SWEEP_INTERVAL) < 0) ? SHORTEST_SWEEP_INTERVAL : interval;
	}

	private void enforceTimeouts() {
		long now = System.nanoTime();
		for (Connection connection : this.connections) {
			try {
				connection.enforceTimeouts(now);
			}
			catch (RuntimeException ex) {
				// the timer must go on for the other connections
				logger.error("Enforcing FastCGI timeouts failed", ex);
			}
		}
	}

	/** The TCP port listened on, or -1 when not listening on TCP. */
	public int getPort() {
		Listener current = this.listener;
		return (current != null) ? current.port() : -1;
	}

	/** Where the server listens, as {@code unix:/path}, {@code tcp:HOST:PORT} or {@code fd:0 (...)}. */
	public String getDescription() {
		Listener current = this.listener;
		return (current != null) ? current.toString() : this.settings.getAddress().toString();
	}

	public int getActiveRequests() {
		return this.activeRequests.get();
	}

	public int getConnectionCount() {
		return this.connections.size();
	}

	/** Connections open with no request in progress, as kept by web servers that reuse connections. */
	public int getIdleConnectionCount() {
		int idle = 0;
		for (Connection connection : this.connections) {
			if (connection.isIdle()) {
				idle++;
			}
		}
		return idle;
	}

	/** Whether the server listens: started, and neither stopped nor shutting down. */
	public boolean isListening() {
		return this.listener != null && !this.shuttingDown;
	}

	/**
	 * Stops accepting and lets requests under way finish: new connections are refused, idle ones
	 * closed, and busy ones closed as their requests end.
	 * @return whether every connection closed within the timeout
	 */
	public boolean shutdownGracefully(Duration timeout) {
		this.shuttingDown = true;
		closeListener();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.connections.isEmpty() && System.nanoTime() < deadline) {
			for (Connection connection : this.connections) {
				if (connection.isIdle()) {
					connection.close();
				}
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return this.connections.isEmpty();
	}

	/** Stops at once: the listener and every connection are closed, requests under way aborted. */
	public void stop() {
		this.shuttingDown = true;
		closeListener();
		for (Connection connection : this.connections) {
			connection.close();
		}
		this.timer.shutdownNow();
		IdleConnections idle = this.idleConnections;
		if (idle != null) {
			idle.stop();
		}
		this.events.serverStopped(this);
	}

	private synchronized void closeListener() {
		Listener current = this.listener;
		if (current == null) {
			return;
		}
		try {
			current.close();
		}
		catch (IOException ex) {
			logger.warn("Could not close FastCGI listener " + current, ex);
		}
		for (Thread thread : this.acceptors) {
			if (thread != Thread.currentThread()) {
				try {
					thread.join(5000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * Accepts while it has the turn, and keeps on while the pool serves what it accepts. To serve a
	 * connection itself it passes the turn on, unless the connection came alone (see
	 * {@link AcceptTurn#keepWhileServing}).
	 */
	private void acceptLoop() {
		Listener current = this.listener;
		boolean myTurn = false;
		try {
			while (!this.shuttingDown) {
				try {
					if (!myTurn) {
						this.acceptTurn.take();
						myTurn = true;
					}
					this.connectionPermits.acquire();
				}
				catch (InterruptedException ex) {
					return;
				}
				SocketChannel channel;
				boolean cameAlone;
				try {
					long acceptStarted = System.nanoTime();
					channel = current.channel().accept();
					cameAlone = System.nanoTime() - acceptStarted > QUEUED_ACCEPT_NANOS;
				}
				catch (ClosedChannelException ex) {
					this.connectionPermits.release();
					return;
				}
				catch (IOException ex) {
					this.connectionPermits.release();
					if (this.shuttingDown) {
						return;
					}
					logger.warn("Accepting a FastCGI connection failed", ex);
					continue;
				}
				if (!admitted(channel)) {
					this.connectionPermits.release();
					continue;
				}
				disableNagle(channel);
				Connection connection = new Connection(this, new ChannelIo(channel, this.virtualThreads));
				this.connections.add(connection);
				this.events.connectionOpened();
				if (servesInline()) {
					boolean kept = this.acceptTurn.keepWhileServing(connection, cameAlone);
					try {
						// Connection.run ends or parks the connection whatever happens in it
						this.workerPool.runHere(connection);
					}
					catch (RuntimeException ex) {
						// as a pool thread would: the acceptor goes on accepting
						logger.error("A FastCGI connection failed on the acceptor serving it", ex);
					}
					myTurn = kept && this.acceptTurn.keptAfterServing(connection);
					continue;
				}
				try {
					this.executor.execute(connection);
				}
				catch (RuntimeException ex) {
					logger.error("Could not start a thread for a FastCGI connection", ex);
					connection.close();
					connectionClosed(connection);
				}
			}
		}
		finally {
			if (myTurn) {
				this.acceptTurn.pass();
			}
		}
	}

	/**
	 * Whether the acceptor that accepted a connection runs it itself, as each of libfcgi's
	 * threads does: while cores are idle and the other acceptor waits for the turn to accept, so
	 * that accepting goes on. A connection per request then reaches its handler without being handed
	 * to a pool thread, which wakes it (a hand-over is most of the cost at one connection); the
	 * connection still parks or ends as on a pool thread. Platform threads only.
	 */
	private boolean servesInline() {
		return this.acceptTurn.othersWait() && mayLinger();
	}

	/** Whether the peer may be served; a refused connection is closed at once. */
	private boolean admitted(SocketChannel channel) {
		ClientRejection rejection;
		String peer;
		try {
			rejection = this.access.check(channel);
			if (rejection == null) {
				return true;
			}
			peer = String.valueOf(channel.getRemoteAddress());
		}
		catch (IOException ex) {
			rejection = ClientRejection.PEER_CREDENTIALS;
			peer = "a peer whose credentials could not be read (" + ex.getMessage() + ")";
		}
		this.events.clientRejected(rejection);
		try {
			channel.close();
		}
		catch (IOException ex) {
			// refused anyway
		}
		String message = "Refused a FastCGI connection from " + peer + " (" + rejection + "; allowed: " + this.access
				+ ")";
		long now = System.nanoTime();
		long next = this.nextRejectionWarning.get();
		if (now - next >= 0 && this.nextRejectionWarning.compareAndSet(next, now + REJECTION_WARNING_INTERVAL.toNanos())) {
			logger.warn(message + "; further refusals within " + REJECTION_WARNING_INTERVAL + " are logged at DEBUG");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
		return false;
	}

	/**
	 * Sends records as soon as they are written: with Nagle's algorithm a response's last records
	 * wait for the web server's delayed acknowledgement of the ones before, 40 ms a request.
	 */
	private static void disableNagle(SocketChannel channel) {
		if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
			try {
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			}
			catch (IOException ex) {
				logger.debug("Could not set TCP_NODELAY", ex);
			}
		}
	}

	ServerSettings settings() {
		return this.settings;
	}

	/** Param strings shared by the requests of every connection. */
	RecentStrings recentStrings() {
		return this.recentStrings;
	}

	/** Arrays the servlet layer buffers a response in, {@link ServerExchange#OUTPUT_BUFFER_LENGTH} long. */
	BufferPool<byte[]> outputBuffers() {
		return this.outputBuffers;
	}

	/** A direct buffer to frame STDOUT or STDERR records in, cleared, at least this long. */
	ByteBuffer takeRecordBuffer(int length) {
		return this.recordBuffers.take(length).clear();
	}

	/** A direct buffer for one record of the most content, cleared. */
	ByteBuffer takeLargeRecordBuffer() {
		return this.largeRecordBuffers.take().clear();
	}

	/** Takes back a buffer from {@link #takeRecordBuffer} or {@link #takeLargeRecordBuffer} once it has been sent. */
	void giveRecordBuffer(ByteBuffer buffer) {
		(buffer.capacity() == RecordEncoder.MAX_RECORD_LENGTH ? this.largeRecordBuffers : this.recordBuffers)
			.give(buffer);
	}

	/** Arrays for body bytes no read was waiting for, {@link Connection#READ_BUFFER_SIZE} long. */
	BufferPool<byte[]> bodyChunks() {
		return this.bodyChunks;
	}

	/**
	 * Direct buffers on platform threads: the JDK reads a socket into a heap buffer through a
	 * direct one of its own, a copy more and a buffer cached on every thread that ever read. Heap
	 * buffers on virtual threads: an idle connection waits inside its read, holding the buffer,
	 * and the JDK caches its direct buffers per carrier thread, of which there are few.
	 */
	private BufferPool<ByteBuffer> readBufferPool(int length) {
		return this.virtualThreads ? BufferPool.heap(length, POOLED_IO_BUFFERS)
				: BufferPool.direct(length, POOLED_IO_BUFFERS);
	}

	/** What a connection reads with first, {@link Connection#FIRST_READ_BUFFER_SIZE} long. */
	BufferPool<ByteBuffer> firstReadBuffers() {
		return this.firstReadBuffers;
	}

	/** What a connection reads with once a read filled the first, {@link Connection#READ_BUFFER_SIZE} long. */
	BufferPool<ByteBuffer> readBuffers() {
		return this.readBuffers;
	}

	FastCgiHandler handler() {
		return this.handler;
	}

	boolean isShuttingDown() {
		return this.shuttingDown;
	}

	boolean tryStartRequest() {
		while (true) {
			int active = this.activeRequests.get();
			if (active >= this.settings.getMaxRequests()) {
				return false;
			}
			if (this.activeRequests.compareAndSet(active, active + 1)) {
				this.events.requestStarted();
				return true;
			}
		}
	}

	void requestFinished() {
		this.activeRequests.decrementAndGet();
		this.events.requestFinished();
	}

	void rejected(ProtocolStatus status) {
		this.events.requestRejected(status);
	}

	void aborted(AbortCause cause) {
		this.events.requestAborted(cause);
	}

	void timedOut(ServerTimeout timeout) {
		this.events.timedOut(timeout);
	}

	void bodyTooLarge() {
		this.events.requestBodyTooLarge();
	}

	void slowRequest(Duration duration) {
		this.events.slowRequest(duration);
	}

	void protocolError(ProtocolException ex) {
		this.events.protocolError(ex.error());
	}

	/** Runs the task on a thread of its own, or throws {@link RejectedExecutionException} when none is free. */
	void executeMultiplexed(Runnable request) {
		if (this.workerPool != null) {
			this.workerPool.executeIfThreadFree(request);
		}
		else {
			this.executor.execute(request);
		}
	}

	/**
	 * Whether a connection with nothing to do may keep its thread a moment for the web server's
	 * next request, rather than park at once: while cores are idle, sparing a request the
	 * hand-over from the idle connections' thread to a worker saves two wake-ups on its way.
	 */
	boolean mayLinger() {
		return this.workerPool != null && this.workerPool.hasIdleCores();
	}

	/** Lets the connection wait for input without a thread; it is resumed when some comes. */
	void park(Connection connection) {
		this.idleConnections.add(connection);
	}

	/** Runs the connection on a worker; {@code false} when none will take it. */
	boolean resume(Connection connection) {
		try {
			this.executor.execute(connection);
			return true;
		}
		catch (RejectedExecutionException ex) {
			logger.error("No thread to serve a FastCGI connection on; closing it", ex);
			return false;
		}
	}

	void connectionClosed(Connection connection) {
		if (this.connections.remove(connection)) {
			this.connectionPermits.release();
			this.events.connectionClosed();
		}
	}

	/** Runs the task after the delay unless the returned future is cancelled first. */
	Future<?> schedule(Runnable task, Duration delay) {
		try {
			return this.timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// stopped: connections are being closed anyway
			return CompletableFuture.completedFuture(null);
		}
	}

	/** What {@code FCGI_GET_VALUES} may ask, answered truthfully. */
	Map<String, String> values() {
		return Map.of("FCGI_MAX_CONNS", Integer.toString(this.settings.getMaxConnections()), "FCGI_MAX_REQS",
				Integer.toString(this.settings.getMaxRequests()), "FCGI_MPXS_CONNS",
				this.settings.isMultiplexing() ? "1" : "0");
	}

}
