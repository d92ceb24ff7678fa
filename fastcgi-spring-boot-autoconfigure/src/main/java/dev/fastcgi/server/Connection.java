package dev.fastcgi.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jdk.net.ExtendedSocketOptions;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.fastcgi.protocol.NameValueDecoder;
import dev.fastcgi.protocol.NameValueEncoder;
import dev.fastcgi.protocol.ProtocolException;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecentStrings;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordListener;
import dev.fastcgi.protocol.RecordType;
import dev.fastcgi.protocol.Role;

/**
 * One connection from the web server. Its thread reads records and runs each request whose
 * params are complete itself, unless another request is already running on the connection
 * (the web server multiplexes), in which case the new one runs on a worker. Whoever needs input
 * reads the socket: the idle connection thread, a handler waiting for its body, or, while the
 * connection's thread runs a request, a reader on a worker that sees what the web server sends
 * meanwhile (another request, an abort, {@code FCGI_GET_VALUES}, the end of the connection);
 * one at a time. On platform threads a connection with nothing under way lets its thread go
 * and waits with the server's {@link IdleConnections} until the web server sends again.
 */
final class Connection implements Runnable {

	private static final Log logger = LogFactory.getLog(Connection.class);

	static final int READ_BUFFER_SIZE = 16 * 1024;

	/**
	 * What a connection reads with until a read fills it: BEGIN_REQUEST and a usual PARAMS stream
	 * fit, so a connection that only ever carries GETs keeps a quarter of the memory idle.
	 */
	static final int FIRST_READ_BUFFER_SIZE = 4 * 1024;

	/** Body bytes queued for a multiplexed request that its handler has not read yet. */
	private static final long MAX_QUEUED_BODY_BYTES = 1024 * 1024;

	/**
	 * Body chunks kept for reuse: a handler reading its body as it comes needs a chunk per record
	 * in one read, a few at most; more would only be memory a busy connection keeps.
	 */
	private static final int MAX_SPARE_CHUNKS = 2;

	/**
	 * How long a request runs on the connection's thread before another thread starts reading the
	 * connection beside it, to notice an abort, a multiplexed request or the web server going away.
	 * The server's timeout sweep starts it, so it may come up to a sweep interval later. Long
	 * enough that requests slowed only by load (hundreds of milliseconds when uploads queue for
	 * the CPU) do not each take a second thread, which would double the threads exactly when
	 * they are scarce.
	 */
	private static final long READER_DELAY_NANOS = Duration.ofSeconds(1).toNanos();

	private static final int NOT_READ_AHEAD = Integer.MIN_VALUE;

	/**
	 * How long a connection that answered a request keeps its thread for the next one while cores
	 * are idle (see {@link FastCgiServer#mayLinger()}): longer than a web server takes to pass on a
	 * client's next request on a kept connection, short enough that a connection gone quiet parks.
	 */
	private static final long LINGER_MILLIS = 2;

	private final FastCgiServer server;

	private final ChannelIo io;

	private final ConnectionWriter writer;

	private final RecordDecoder decoder;

	/**
	 * Taken from the server's pools by a read, replaced by one of {@link #READ_BUFFER_SIZE} once a
	 * read fills it, given back when the connection parks or closes; only the thread that claimed
	 * {@link #reading} touches it, and it is given back only with the lock held and no such claim.
	 */
	private ByteBuffer readBuffer;

	/** Guards the request table, the body queues and who reads. */
	private final ReentrantLock lock = new ReentrantLock();

	private final Condition progress = this.lock.newCondition();

	private final Map<Integer, ServerExchange> requests = new ConcurrentHashMap<>();

	private final ArrayDeque<ServerExchange> ready = new ArrayDeque<>();

	private final ArrayDeque<BodyInputStream.Chunk> spareChunks = new ArrayDeque<>(MAX_SPARE_CHUNKS);

	private boolean reading;

	private boolean inputEnded;

	/** The request running on the connection's thread, or {@code null}. */
	private ServerExchange inlineRequest;

	/** Whether a worker reads the connection while its thread runs a request. */
	private boolean readerWhileBusy;

	/** When the request on the connection's thread started; read by the timeout sweep. */
	private long inlineStartedAt;

	private byte[] spareOutputBuffer;

	/** When the connection began to drain before closing; 0 while it does not. */
	private volatile long drainingSince;

	private boolean closeWhenIdle;

	/**
	 * Whether a response is being broken off, or may be: the connection is about to close for it,
	 * so a request beginning now (a multiplexing client's) is refused as overloaded rather than
	 * taken and lost with it.
	 */
	private boolean breakingOff;

	/**
	 * Requests begun whose STDIN has not ended: while there are any, the web server may still
	 * send, and closing without draining could reset the connection under our response.
	 */
	private int requestsAwaitingInput;

	/** TCP on Linux; only the reading thread touches it. */
	private boolean quickAcknowledgements;

	/** Requests out of the table whose END_REQUEST is still being written. */
	private int ending;

	private volatile boolean closed;

	/**
	 * Whether input may have come that nobody read yet: a new connection's first request usually
	 * arrives with it, and a parked one is resumed for input. A connection that just answered a
	 * request parks without trying to read first, as the web server sends the next one later.
	 */
	private volatile boolean inputExpected = true;

	/** Whether the connection waits with the server's idle connections, without a thread. */
	private final AtomicBoolean parked = new AtomicBoolean();

	/**
	 * Whether the server's idle connections watch the socket for input; they keep watching while
	 * the connection has a thread, until input comes that its thread reads itself.
	 */
	private volatile boolean watched;

	/**
	 * What the idle connections' thread read into {@link #readBuffer} as it resumed the parked
	 * connection, for the next read to take: a count, -1 at the end of input, or
	 * {@link #NOT_READ_AHEAD}. Handed over with the connection to its worker.
	 */
	private int readAhead = NOT_READ_AHEAD;

	/** What reading ahead failed with, for the next read to throw. */
	private IOException readAheadFailure;

	/** When the web server last sent anything or a request last ended, for the idle timeouts. */
	private volatile long lastActivity = System.nanoTime();

	Connection(FastCgiServer server, ChannelIo io) {
		this.server = server;
		this.io = io;
		this.quickAcknowledgements = io.channel().supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
		this.writer = new ConnectionWriter(io, this::connectionLost);
		this.decoder = new RecordDecoder(server.settings().getLimits(), new Records());
	}

	ServerSettings settings() {
		return this.server.settings();
	}

	FastCgiServer server() {
		return this.server;
	}

	RecentStrings recentStrings() {
		return this.server.recentStrings();
	}

	ConnectionWriter writer() {
		return this.writer;
	}

	SocketChannel channel() {
		return this.io.channel();
	}

	@Override
	public void run() {
		boolean parked = false;
		try {
			Next next;
			while ((next = awaitRequest()) == Next.REQUEST) {
				runRequest(this.inlineRequest, true);
				if (shouldClose()) {
					break;
				}
			}
			// from here on another thread may run the connection
			parked = (next == Next.PARKED);
		}
		catch (ProtocolException ex) {
			this.server.protocolError(ex);
			logger.warn("Closing FastCGI connection: " + ex.getMessage());
		}
		catch (IOException ex) {
			if (!this.closed) {
				logger.debug("FastCGI connection failed", ex);
			}
		}
		finally {
			if (!parked) {
				ended();
			}
		}
	}

	private void ended() {
		// before the web server can see the close and send the request again on a new connection
		releaseUnstartedRequests();
		closeGracefully();
		releaseBuffers();
		this.server.connectionClosed(this);
	}

	/**
	 * Gives the pooled buffers back once the connection is closed. A reader still in a read keeps
	 * the read buffer and gives it back as it sees the close.
	 */
	private void releaseBuffers() {
		this.lock.lock();
		try {
			if (!this.reading) {
				releaseReadBuffer();
			}
			releaseSpareBuffers();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Gives the spare output buffer and body chunks back to the server's pools, so that a
	 * connection that goes idle after an upload does not keep them; the caller holds the lock.
	 */
	private void releaseSpareBuffers() {
		if (this.spareOutputBuffer != null) {
			this.server.outputBuffers().give(this.spareOutputBuffer);
			this.spareOutputBuffer = null;
		}
		BodyInputStream.Chunk chunk;
		while ((chunk = this.spareChunks.poll()) != null) {
			this.server.bodyChunks().give(chunk.bytes);
		}
	}

	/** Runs the parked connection again on a worker, to find out that it was closed. */
	void resume() {
		if (this.parked.compareAndSet(true, false)) {
			runOnWorker();
		}
	}

	/**
	 * Input came: if the connection is parked, reads what came on the calling thread (the idle
	 * connections'), so that the socket, which they go on watching, has nothing left to report
	 * before the connection's next request is answered, and runs the connection on a worker.
	 * @return whether it was parked; if not, its thread reads the input itself
	 */
	boolean resumeWithInput() {
		if (!this.parked.compareAndSet(true, false)) {
			return false;
		}
		// the connection is this thread's until its worker starts
		try {
			this.readAhead = readIntoBuffer(false);
		}
		catch (IOException ex) {
			this.readAheadFailure = ex;
		}
		runOnWorker();
		return true;
	}

	private void runOnWorker() {
		this.inputExpected = true;
		if (!this.server.resume(this)) {
			close();
			ended();
		}
	}

	boolean isWatched() {
		return this.watched;
	}

	void setWatched(boolean watched) {
		this.watched = watched;
	}

	/**
	 * Reads until a request is ready to run on this thread, which it leaves in
	 * {@link #inlineRequest}; or, when the connection has nothing under way and may wait without
	 * a thread, parks it with the server's idle connections and lets the thread go. While cores
	 * are idle it first keeps the thread for {@link #LINGER_MILLIS}, in case the next request
	 * comes at once.
	 */
	private Next awaitRequest() throws IOException, ProtocolException {
		boolean lingered = false;
		while (true) {
			Idle idle = Idle.READ;
			boolean wait = true;
			this.lock.lock();
			try {
				ServerExchange next = this.ready.poll();
				if (next != null) {
					this.inlineRequest = next;
					this.inlineStartedAt = System.nanoTime();
					return Next.REQUEST;
				}
				if (this.inputEnded || this.closed || (this.closeWhenIdle && hasNoRequests())) {
					return Next.END;
				}
				if (this.reading) {
					this.progress.awaitUninterruptibly();
					continue;
				}
				if (this.io.isParkable() && hasNoRequests() && !this.inputExpected) {
					this.io.makeNonBlocking();
					if (!lingered && this.server.mayLinger()) {
						idle = Idle.LINGER;
					}
					else {
						releaseReadBuffer();
						releaseSpareBuffers();
						idle = Idle.PARK;
					}
				}
				else {
					this.reading = true;
					wait = !this.io.isNonBlocking() || !hasNoRequests();
					this.inputExpected = false;
				}
			}
			finally {
				this.lock.unlock();
			}
			switch (idle) {
				case READ -> readOnce(wait);
				case LINGER -> {
					// nothing is under way, so nobody else reads; a close wakes the wait with an exception
					lingered = true;
					this.inputExpected = this.io.awaitInput(LINGER_MILLIS);
				}
				case PARK -> {
					// before another thread may resume the connection and wait in that selector
					this.io.closeReadSelector();
					this.parked.set(true);
					this.server.park(this);
					return Next.PARKED;
				}
			}
		}
	}

	/** What a connection with nothing under way does next in {@link #awaitRequest()}. */
	private enum Idle {

		/** Reads the socket: a request is under way, or input is expected. */
		READ,

		/** Waits a moment for input, keeping its thread. */
		LINGER,

		/** Lets its thread go. */
		PARK

	}

	/** What {@link #awaitRequest()} came to. */
	private enum Next {

		/** A request is ready to run on this thread. */
		REQUEST,

		/** Nothing to do: the connection waits with the idle ones, without a thread. */
		PARKED,

		/** The input ended or the connection is to close. */
		END

	}

	/**
	 * Starts reading the connection beside a request that has run for {@link #READER_DELAY_NANOS}:
	 * most requests end sooner, and sparing them a second thread (and a timer task each) keeps
	 * throughput up. Not while the handler reads the request's body: it reads the connection
	 * itself then, and a second thread would only queue what the handler reads anyway (every
	 * upload would hold two threads). Called by the timeout sweep with the lock held.
	 */
	private void startReaderIfLongBusy(long now) {
		if (this.inlineRequest != null && !this.inlineRequest.stdinStream().isBeingRead() && !this.readerWhileBusy
				&& !this.inputEnded && !this.closed && now - this.inlineStartedAt > READER_DELAY_NANOS) {
			this.readerWhileBusy = startReaderWhileBusy();
		}
	}

	/** Starts {@link #readWhileBusy()} on a worker; the caller holds the lock. */
	private boolean startReaderWhileBusy() {
		try {
			this.server.executeMultiplexed(this::readWhileBusy);
			return true;
		}
		catch (RejectedExecutionException ex) {
			// no thread to spare: records are read when the handler needs its body or when it ends
			return false;
		}
	}

	/** Reads the connection while its thread runs a request and nobody else reads. */
	private void readWhileBusy() {
		try {
			while (claimReadingWhileBusy()) {
				readOnce(true);
			}
		}
		catch (ProtocolException ex) {
			this.server.protocolError(ex);
			logger.warn("Closing FastCGI connection: " + ex.getMessage());
			close();
		}
		catch (IOException ex) {
			// the input ended or the connection was closed; the connection's thread sees it
		}
		finally {
			this.lock.lock();
			try {
				this.readerWhileBusy = false;
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	private boolean claimReadingWhileBusy() {
		this.lock.lock();
		try {
			while (true) {
				if (this.inlineRequest == null || this.inputEnded || this.closed) {
					this.readerWhileBusy = false;
					return false;
				}
				if (!this.reading) {
					this.reading = true;
					return true;
				}
				this.progress.awaitUninterruptibly();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Returns once the body stream has something to read, has ended, or its request was aborted,
	 * reading the socket on the caller's thread when nobody else is.
	 */
	void awaitInput(BodyInputStream body) throws IOException {
		try {
			awaitInputWaiting(body);
		}
		finally {
			body.waiting(0);
		}
	}

	private void awaitInputWaiting(BodyInputStream body) throws IOException {
		while (true) {
			this.lock.lock();
			try {
				if (body.isReadable()) {
					return;
				}
				if (body.waitingSince() == 0) {
					body.waiting(System.nanoTime());
				}
				if (this.inputEnded) {
					throw new RequestAbortedException("The web server closed the connection before the request body ended");
				}
				if (this.reading) {
					this.progress.awaitUninterruptibly();
					continue;
				}
				this.reading = true;
			}
			finally {
				this.lock.unlock();
			}
			try {
				readOnce(true);
			}
			catch (ProtocolException ex) {
				this.server.protocolError(ex);
				close();
				throw new IOException("FastCGI protocol error: " + ex.getMessage(), ex);
			}
			catch (RequestAbortedException ex) {
				throw ex;
			}
			catch (IOException ex) {
				throw new RequestAbortedException(
						"The connection to the web server broke while reading the request body: " + ex.getMessage(), ex);
			}
		}
	}

	/**
	 * Reads once from the socket and decodes what came; the caller has claimed {@link #reading}.
	 * @param wait whether to wait for input; without, nothing may be read
	 */
	private void readOnce(boolean wait) throws IOException, ProtocolException {
		try {
			int count = takeReadAhead();
			if (count == NOT_READ_AHEAD) {
				count = readIntoBuffer(wait);
			}
			ByteBuffer buffer = this.readBuffer;
			if (count == 0) {
				return;
			}
			this.lastActivity = System.nanoTime();
			if (count < 0) {
				if (!hasRunningRequest()) {
					// while a handler runs, a record cut short is the web server giving up on its request
					this.decoder.endOfInput();
				}
				inputEnded();
				return;
			}
			buffer.flip();
			this.decoder.decode(buffer);
			if (this.quickAcknowledgements && this.requestsAwaitingInput > 0) {
				acknowledgeAtOnce();
			}
			if (count == buffer.capacity() && count < READ_BUFFER_SIZE) {
				// bodies come: read them in larger pieces; the decoder keeps nothing of the old buffer
				this.server.firstReadBuffers().give(buffer);
				this.readBuffer = this.server.readBuffers().take();
			}
		}
		catch (IOException | ProtocolException | RuntimeException ex) {
			inputEnded();
			throw ex;
		}
		finally {
			this.lock.lock();
			try {
				this.reading = false;
				if (this.closed || this.inputEnded) {
					releaseReadBuffer();
				}
				this.progress.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/** Reads into the read buffer, emptied first; the caller claimed {@link #reading} or resumes the parked connection. */
	private int readIntoBuffer(boolean wait) throws IOException {
		ByteBuffer buffer = claimedReadBuffer();
		buffer.clear();
		return this.io.read(buffer, wait);
	}

	/** What {@link #resumeWithInput()} read ahead, or {@link #NOT_READ_AHEAD}; throws what it failed with. */
	private int takeReadAhead() throws IOException {
		int count = this.readAhead;
		IOException failure = this.readAheadFailure;
		this.readAhead = NOT_READ_AHEAD;
		this.readAheadFailure = null;
		if (failure != null) {
			throw failure;
		}
		return count;
	}

	/** The read buffer, taken from the server's pool if the connection has none; the caller claimed {@link #reading}. */
	private ByteBuffer claimedReadBuffer() {
		if (this.readBuffer == null) {
			this.readBuffer = this.server.firstReadBuffers().take();
		}
		return this.readBuffer;
	}

	/** Gives the read buffer back to the server's pool; the caller holds the lock and nobody reads. */
	private void releaseReadBuffer() {
		ByteBuffer buffer = this.readBuffer;
		if (buffer != null) {
			this.readBuffer = null;
			BufferPool<ByteBuffer> pool = (buffer.capacity() == READ_BUFFER_SIZE) ? this.server.readBuffers()
					: this.server.firstReadBuffers();
			pool.give(buffer);
		}
	}

	/**
	 * Asks the kernel to acknowledge what comes next at once rather than up to 40 ms later. Over
	 * TCP, the tail of nginx's body records waits for the acknowledgement of the data before it
	 * (as Nagle's algorithm on its side would make it): with delayed acknowledgements, one 1 MB
	 * upload in two stalled 40 ms. The kernel drops quick mode on its own, hence once per read
	 * while a body comes.
	 */
	private void acknowledgeAtOnce() {
		try {
			this.io.channel().setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
		}
		catch (IOException | UnsupportedOperationException ex) {
			this.quickAcknowledgements = false;
			logger.debug("Could not set TCP_QUICKACK", ex);
		}
	}

	private void inputEnded() {
		this.lock.lock();
		try {
			this.inputEnded = true;
		}
		finally {
			this.lock.unlock();
		}
		connectionLost();
	}

	/**
	 * @param inline whether on the connection's thread, rather than on a worker
	 */
	private void runRequest(ServerExchange exchange, boolean inline) {
		exchange.started();
		try {
			this.server.handler().handle(exchange);
		}
		catch (Throwable ex) {
			exchange.setAppStatus(1);
			if (!exchange.isAborted()) {
				logger.error("FastCGI handler failed for request " + exchange.requestId(), ex);
				reportOnStderr(exchange, ex);
			}
		}
		finally {
			finishRequest(exchange, inline);
		}
	}

	private void reportOnStderr(ServerExchange exchange, Throwable ex) {
		try {
			exchange.stderr().write(("Request failed: " + ex + "\n").getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ignored) {
			// the web server is gone; nobody can read it
		}
	}

	/**
	 * Forgets the request, then ends its output streams and sends END_REQUEST in one write, or,
	 * for a response the handler broke off, sends what it wrote and has the connection close. The
	 * request is forgotten first: the web server may reuse its id, or send another request, the
	 * moment it reads END_REQUEST, and whoever reads the connection must not take that for the
	 * old one.
	 */
	private void finishRequest(ServerExchange exchange, boolean inline) {
		boolean breakOff;
		this.lock.lock();
		try {
			this.requests.remove(exchange.requestId(), exchange);
			this.ending++;
			if (inline) {
				this.inlineRequest = null;
			}
			// the connection is closed for a broken response only when it carries no other request
			breakOff = exchange.isBrokenOff() && this.requests.isEmpty() && this.ending == 1;
			if (breakOff) {
				this.breakingOff = true;
				this.closeWhenIdle = true;
			}
		}
		finally {
			this.lock.unlock();
		}
		this.server.requestFinished();
		reportIfSlow(exchange);
		try {
			if (breakOff) {
				exchange.sendBrokenOff();
			}
			else {
				exchange.complete();
			}
		}
		catch (IOException ex) {
			logger.debug("Could not end FastCGI request " + exchange.requestId(), ex);
		}
		finally {
			this.lock.lock();
			try {
				this.ending--;
				this.lastActivity = System.nanoTime();
				if (!exchange.keepConnection()) {
					this.closeWhenIdle = true;
				}
				this.progress.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	private void reportIfSlow(ServerExchange exchange) {
		Duration threshold = settings().getSlowRequestThreshold();
		if (threshold == null) {
			return;
		}
		Duration duration = Duration.ofNanos(System.nanoTime() - exchange.startedAt());
		if (duration.compareTo(threshold) > 0) {
			this.server.slowRequest(duration);
			logger.warn("Slow FastCGI request: " + describe(exchange) + " took " + duration.toMillis() + " ms");
		}
	}

	private static String describe(ServerExchange exchange) {
		Params params = exchange.params();
		return params.get("REQUEST_METHOD") + " " + params.get("REQUEST_URI") + " (request " + exchange.requestId()
				+ ", role " + exchange.role().name().toLowerCase() + ")";
	}

	/**
	 * Closes the connection when a time limit ran out, or ends the requests whose handlers ran too
	 * long. Called by the server's timer, so that no read needs a timer of its own.
	 */
	void enforceTimeouts(long now) {
		ServerTimeout expired = null;
		List<ServerExchange> overdue = List.of();
		ServerSettings settings = settings();
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			startReaderIfLongBusy(now);
			long draining = this.drainingSince;
			if (draining != 0) {
				if (exceeded(now, draining, settings.getDrainTimeout())) {
					expired = ServerTimeout.DRAIN;
				}
			}
			else if (hasNoRequests() && this.ready.isEmpty() && this.inlineRequest == null) {
				if (exceeded(now, this.lastActivity, settings.getKeepAliveTimeout())) {
					expired = ServerTimeout.KEEP_ALIVE;
				}
			}
			else {
				for (ServerExchange exchange : this.requests.values()) {
					long waiting = exchange.bodyWaitingSince();
					if (!exchange.isParamsComplete() && exceeded(now, exchange.begunAt(), settings.getParamsTimeout())) {
						expired = ServerTimeout.PARAMS;
					}
					else if (waiting != 0 && exceeded(now, Math.max(waiting, this.lastActivity),
							settings.getBodyIdleTimeout())) {
						expired = ServerTimeout.BODY_IDLE;
					}
					else if (exchange.startedAt() != 0
							&& exceeded(now, exchange.startedAt(), settings.getRequestTimeout())) {
						overdue = new ArrayList<>(overdue);
						overdue.add(exchange);
					}
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (expired != null) {
			this.server.timedOut(expired);
			logger.debug("Closing FastCGI connection: " + expired + " timeout");
			close();
			return;
		}
		for (ServerExchange exchange : overdue) {
			if (endEarly(exchange, 503, "Service Unavailable", 1)) {
				this.server.timedOut(ServerTimeout.REQUEST);
				logger.warn("FastCGI request " + describe(exchange) + " ran longer than " + settings.getRequestTimeout()
						+ " and was ended with 503, or broken off if its response had begun");
			}
		}
	}

	private static boolean exceeded(long now, long since, Duration timeout) {
		return timeout != null && now - since > timeout.toNanos();
	}

	/**
	 * Ends a running request early (see {@link ServerExchange#endEarly}) and forgets it; a
	 * response broken off closes the connection, which then carries no other request.
	 */
	private boolean endEarly(ServerExchange exchange, int status, String reason, int appStatus) {
		boolean alone;
		this.lock.lock();
		try {
			alone = this.requests.size() == 1 && this.requests.get(exchange.requestId()) == exchange && this.ending == 0;
			// set only, never cleared here for another request's break-off
			if (alone) {
				this.breakingOff = true;
			}
		}
		finally {
			this.lock.unlock();
		}
		boolean ended = exchange.endEarly(status, reason, appStatus, alone);
		boolean brokenOff = ended && exchange.isBrokenOff();
		if (alone && !brokenOff) {
			this.lock.lock();
			try {
				this.breakingOff = false;
			}
			finally {
				this.lock.unlock();
			}
		}
		if (ended) {
			forget(exchange);
		}
		if (brokenOff) {
			close();
		}
		return ended;
	}

	/**
	 * Takes a request ended early out of the table while its handler may still run: the web server
	 * may reuse its id as soon as it reads END_REQUEST.
	 */
	private void forget(ServerExchange exchange) {
		this.lock.lock();
		try {
			this.requests.remove(exchange.requestId(), exchange);
			if (!exchange.keepConnection()) {
				this.closeWhenIdle = true;
			}
			this.progress.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether a handler has started on one of the connection's requests. */
	private boolean hasRunningRequest() {
		for (ServerExchange exchange : this.requests.values()) {
			if (exchange.startedAt() != 0) {
				return true;
			}
		}
		return false;
	}

	/** Whether no request is in the table or still ending; the caller holds the lock. */
	private boolean hasNoRequests() {
		return this.requests.isEmpty() && this.ending == 0;
	}

	private boolean shouldClose() {
		this.lock.lock();
		try {
			return this.closed || this.writer.hasFailed() || this.server.isShuttingDown() && hasNoRequests()
					|| this.closeWhenIdle && hasNoRequests();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether no request is under way, so closing loses nothing. */
	boolean isIdle() {
		this.lock.lock();
		try {
			return hasNoRequests() && this.ready.isEmpty() && this.decoder.isAtRecordBoundary();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * An output buffer of at least the given size: the connection's own when it is free (the
	 * usual case, one request at a time), so that requests on a kept connection allocate none;
	 * else one from the server's pool.
	 */
	byte[] borrowOutputBuffer(int size) {
		this.lock.lock();
		try {
			byte[] spare = this.spareOutputBuffer;
			if (spare != null && spare.length >= size) {
				this.spareOutputBuffer = null;
				return spare;
			}
		}
		finally {
			this.lock.unlock();
		}
		return this.server.outputBuffers().take(size);
	}

	/** Keeps a buffer whose bytes have gone out as the connection's own, or gives it to the server's pool. */
	void returnOutputBuffer(byte[] buffer) {
		this.lock.lock();
		try {
			if (this.spareOutputBuffer == null && !this.closed) {
				this.spareOutputBuffer = buffer;
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		this.server.outputBuffers().give(buffer);
	}

	/** A chunk for body bytes: a spare one when the size fits; the caller holds the lock. */
	private BodyInputStream.Chunk takeChunk(int size) {
		BodyInputStream.Chunk chunk = (size <= READ_BUFFER_SIZE) ? this.spareChunks.poll() : null;
		if (chunk == null) {
			chunk = new BodyInputStream.Chunk(this.server.bodyChunks().take(size));
		}
		chunk.length = size;
		return chunk;
	}

	/** Takes back a chunk whose bytes were read; the caller holds the lock. */
	void recycle(BodyInputStream.Chunk chunk) {
		if (chunk.bytes.length != READ_BUFFER_SIZE) {
			return;
		}
		if (this.spareChunks.size() < MAX_SPARE_CHUNKS && !this.closed) {
			this.spareChunks.push(chunk);
		}
		else {
			this.server.bodyChunks().give(chunk.bytes);
		}
	}

	void lock() {
		this.lock.lock();
	}

	void unlock() {
		this.lock.unlock();
	}

	/** Wakes threads waiting for input; the caller holds the lock. */
	void signalProgress() {
		this.progress.signalAll();
	}

	void signalProgressLocked() {
		this.lock.lock();
		try {
			this.progress.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Frees the request slots of requests that never reached a handler: their params were not
	 * complete, or they waited for the connection's thread, when the connection closed.
	 */
	private void releaseUnstartedRequests() {
		this.lock.lock();
		try {
			for (ServerExchange exchange : this.requests.values()) {
				if (!exchange.isParamsComplete() || this.ready.contains(exchange)) {
					this.requests.remove(exchange.requestId());
					this.server.requestFinished();
				}
			}
			this.ready.clear();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void abortAll() {
		for (ServerExchange exchange : this.requests.values()) {
			exchange.abort();
		}
	}

	/** The web server closed the connection or stopped reading it: its requests in progress are given up. */
	private void connectionLost() {
		for (ServerExchange exchange : this.requests.values()) {
			if (exchange.abort() && exchange.startedAt() != 0) {
				this.server.aborted(AbortCause.CONNECTION_LOST);
			}
		}
	}

	/** Closes the connection if it waits without a thread. */
	void closeIfParked() {
		if (this.parked.get()) {
			close();
		}
	}

	/** Closes at once, aborting whatever is under way; for a stop that cannot wait. */
	void close() {
		this.closed = true;
		// as in ended(), before the socket closes
		releaseUnstartedRequests();
		this.io.close();
		abortAll();
		signalProgressLocked();
		if (this.parked.compareAndSet(true, false)) {
			// no thread of its own to end it
			ended();
		}
	}

	/**
	 * Closes without a TCP reset: the web server may still be sending the rest of a request body
	 * we did not read, and a reset would make it report the response as failed (nginx: 502). So
	 * shut down our side, read until it closes its side or the drain time runs out, then close;
	 * unless everything it will send has been read.
	 */
	private void closeGracefully() {
		if (this.closed) {
			return;
		}
		try {
			if (!this.writer.hasFailed() && !isAllInputRead()) {
				this.io.channel().shutdownOutput();
				// the timeout sweep closes a drain that outlasts the drain timeout
				this.drainingSince = System.nanoTime();
				if (claimReadingToDrain()) {
					drain();
				}
			}
		}
		catch (ClosedChannelException ex) {
			// the drain timed out, or the server stopped
		}
		catch (IOException ex) {
			logger.trace("Error while draining a closing FastCGI connection", ex);
		}
		finally {
			close();
		}
	}

	/** Reads and drops input until the web server closes its side; the caller claimed the input for good. */
	private void drain() throws IOException {
		try {
			ByteBuffer buffer = claimedReadBuffer();
			do {
				buffer.clear();
			}
			while (this.io.read(buffer, true) >= 0);
		}
		finally {
			this.lock.lock();
			try {
				releaseReadBuffer();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/**
	 * Whether the web server sent its last request without KEEP_CONN, so sends nothing more, and
	 * every byte of it has been read: then closing resets nothing, and skipping the drain saves a
	 * round trip on every connection of a web server that opens one per request.
	 */
	private boolean isAllInputRead() {
		this.lock.lock();
		try {
			return this.closeWhenIdle && this.requestsAwaitingInput == 0 && !this.reading
					&& this.decoder.isAtRecordBoundary();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits for a reader on a worker to finish (the web server closes its side once it sees ours
	 * shut down) and claims the input for good; {@code false} when there is nothing to drain.
	 */
	private boolean claimReadingToDrain() {
		this.lock.lock();
		try {
			while (this.reading && !this.closed) {
				this.progress.awaitUninterruptibly();
			}
			if (this.closed || this.inputEnded) {
				return false;
			}
			this.reading = true;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Decoder callbacks; they run on whichever thread reads the socket. */
	private final class Records implements RecordListener {

		@Override
		public void onBeginRequest(int requestId, int roleCode, boolean keepConnection) {
			Role role = Role.fromCode(roleCode);
			lock.lock();
			try {
				requestsAwaitingInput++;
				if (closed || requests.containsKey(requestId)) {
					return;
				}
				if (breakingOff) {
					rejectOverloaded(requestId, keepConnection);
					return;
				}
				if (role == null || !settings().getRoles().contains(role)) {
					server.rejected(ProtocolStatus.UNKNOWN_ROLE);
					reject(requestId, ProtocolStatus.UNKNOWN_ROLE, keepConnection);
					return;
				}
				if (!requests.isEmpty() && !settings().isMultiplexing()) {
					server.rejected(ProtocolStatus.CANT_MPX_CONN);
					reject(requestId, ProtocolStatus.CANT_MPX_CONN, keepConnection);
					return;
				}
				// during a graceful shutdown too: a request on a connection already open is served
				// (the connection closes after it), since web servers retry only failed connections
				if (requests.size() >= settings().getMaxRequestsPerConnection() || !server.tryStartRequest()) {
					rejectOverloaded(requestId, keepConnection);
					return;
				}
				requests.put(requestId, new ServerExchange(Connection.this, requestId, role, keepConnection));
			}
			finally {
				lock.unlock();
			}
		}

		private void reject(int requestId, ProtocolStatus status, boolean keepConnection) {
			writer.writeQuietly(RecordEncoder.endRequest(requestId, 0, status));
			closeWhenIdleUnlessKept(keepConnection);
		}

		private void closeWhenIdleUnlessKept(boolean keepConnection) {
			if (!keepConnection && requests.isEmpty()) {
				closeWhenIdle = true;
			}
		}

		private void rejectOverloaded(int requestId, boolean keepConnection) {
			server.rejected(ProtocolStatus.OVERLOADED);
			if (settings().getOverloadResponse() == OverloadResponse.PROTOCOL_STATUS) {
				reject(requestId, ProtocolStatus.OVERLOADED, keepConnection);
				return;
			}
			// answered before its params arrive: what the web server still sends for it is ignored
			byte[] page = ServerExchange.cgiResponse(503, "Service Unavailable", "Retry-After: 1\r\n")
				.getBytes(StandardCharsets.ISO_8859_1);
			byte[] stdout = RecordEncoder.records(RecordType.STDOUT, requestId, page);
			byte[] stdoutEnd = RecordEncoder.streamEnd(RecordType.STDOUT, requestId);
			byte[] end = RecordEncoder.endRequest(requestId, 0, ProtocolStatus.REQUEST_COMPLETE);
			writer.writeQuietly(ByteBuffer.allocate(stdout.length + stdoutEnd.length + end.length)
				.put(stdout)
				.put(stdoutEnd)
				.put(end)
				.array());
			closeWhenIdleUnlessKept(keepConnection);
		}

		@Override
		public void onAbortRequest(int requestId) {
			ServerExchange exchange = requests.get(requestId);
			if (exchange == null) {
				return;
			}
			if (exchange.abort() && exchange.isParamsComplete()) {
				server.aborted(AbortCause.ABORT_RECORD);
			}
			lock.lock();
			try {
				if (!exchange.isParamsComplete()) {
					// never handed to a handler: nobody else will end it
					requests.remove(requestId);
					server.requestFinished();
					writer.writeQuietly(
							RecordEncoder.endRequest(requestId, 0, ProtocolStatus.REQUEST_COMPLETE));
					if (!exchange.keepConnection()) {
						closeWhenIdle = true;
					}
					progress.signalAll();
				}
			}
			finally {
				lock.unlock();
			}
		}

		@Override
		public void onStreamContent(RecordType type, int requestId, ByteBuffer content) throws ProtocolException {
			ServerExchange exchange = requests.get(requestId);
			if (exchange == null) {
				return;
			}
			switch (type) {
				case PARAMS -> {
					if (!exchange.isParamsComplete()) {
						decodeParams(exchange, content);
					}
				}
				case STDIN -> {
					if (exceedsMaxBodySize(exchange, content.remaining())) {
						refuseBodyTooLarge(exchange);
					}
					else {
						queue(exchange, exchange.stdinStream(), content);
					}
				}
				case DATA -> queue(exchange, exchange.dataStream(), content);
				default -> {
					// a web server sends no STDOUT or STDERR; ignore it
				}
			}
		}

		/**
		 * Decodes params, from a copy on the heap when the read buffer is direct: the decoder looks
		 * names up in arrays (well-known names, recent strings). The params keep copies of the
		 * values' bytes, so the read buffer is free again when this returns.
		 */
		private void decodeParams(ServerExchange exchange, ByteBuffer content) throws ProtocolException {
			Params params = exchange.params();
			params.reserve(content.remaining());
			if (content.hasArray()) {
				exchange.paramsDecoder().decodeRaw(content, params::add);
				return;
			}
			int length = content.remaining();
			BufferPool<byte[]> pool = server.bodyChunks();
			byte[] copy = pool.take(length);
			try {
				content.get(content.position(), copy, 0, length);
				exchange.paramsDecoder().decodeRaw(ByteBuffer.wrap(copy, 0, length), params::add);
			}
			finally {
				pool.give(copy);
			}
		}

		private boolean exceedsMaxBodySize(ServerExchange exchange, int more) {
			long max = settings().getMaxBodySize();
			if (max < 0) {
				return false;
			}
			lock.lock();
			try {
				return exchange.stdinStream().receivedBytes() + more > max;
			}
			finally {
				lock.unlock();
			}
		}

		/** Answers 413; the handler's next read fails, and what else comes for the request is ignored. */
		private void refuseBodyTooLarge(ServerExchange exchange) {
			lock.lock();
			try {
				exchange.stdinStream().fail(new IOException("The request body is larger than the limit of "
						+ settings().getMaxBodySize() + " bytes (fastcgi.max-body-size)"));
				progress.signalAll();
			}
			finally {
				lock.unlock();
			}
			if (endEarly(exchange, 413, "Content Too Large", 0)) {
				server.bodyTooLarge();
			}
		}

		private void queue(ServerExchange exchange, BodyInputStream body, ByteBuffer content) {
			lock.lock();
			try {
				if (body.isEnded()) {
					return;
				}
				while (body.queuedBytes() > MAX_QUEUED_BODY_BYTES && !exchange.isAborted() && !closed
						&& requests.containsKey(exchange.requestId())) {
					progress.awaitUninterruptibly();
				}
				body.fillWaitingRead(content);
				if (content.hasRemaining()) {
					BodyInputStream.Chunk chunk = takeChunk(content.remaining());
					content.get(chunk.bytes, 0, chunk.length);
					body.offer(chunk);
				}
				progress.signalAll();
			}
			finally {
				lock.unlock();
			}
		}

		@Override
		public void onStreamEnd(RecordType type, int requestId) throws ProtocolException {
			ServerExchange exchange = requests.get(requestId);
			if (exchange == null) {
				return;
			}
			lock.lock();
			try {
				switch (type) {
					case PARAMS -> {
						if (!exchange.isParamsComplete()) {
							exchange.paramsDecoder().finish();
							exchange.paramsCompleted();
							if (declaresBodyTooLarge(exchange)) {
								answerBodyTooLarge(exchange);
							}
							else {
								dispatch(exchange);
							}
						}
					}
					case STDIN -> {
						if (!exchange.stdinStream().isEnded()) {
							requestsAwaitingInput--;
							exchange.stdinStream().end();
						}
					}
					case DATA -> exchange.dataStream().end();
					default -> {
					}
				}
				progress.signalAll();
			}
			finally {
				lock.unlock();
			}
		}

		private boolean declaresBodyTooLarge(ServerExchange exchange) {
			long max = settings().getMaxBodySize();
			String contentLength = exchange.params().getNonEmpty("CONTENT_LENGTH");
			if (max < 0 || contentLength == null) {
				return false;
			}
			try {
				return Long.parseLong(contentLength.trim()) > max;
			}
			catch (NumberFormatException ex) {
				// too long to be a long is too large; anything else is the handler's to judge
				return contentLength.trim().matches("\\d+");
			}
		}

		/** Answers 413 before any handler runs; the caller holds the lock. */
		private void answerBodyTooLarge(ServerExchange exchange) {
			requests.remove(exchange.requestId());
			server.requestFinished();
			server.bodyTooLarge();
			exchange.endEarly(413, "Content Too Large", 0, false);
			closeWhenIdleUnlessKept(exchange.keepConnection());
		}

		private void dispatch(ServerExchange exchange) {
			if (inlineRequest == null && ready.isEmpty()) {
				ready.add(exchange);
				return;
			}
			try {
				server.executeMultiplexed(() -> runRequest(exchange, false));
			}
			catch (RejectedExecutionException ex) {
				// no thread to run it on
				requests.remove(exchange.requestId());
				server.requestFinished();
				server.rejected(ProtocolStatus.OVERLOADED);
				reject(exchange.requestId(), ProtocolStatus.OVERLOADED, exchange.keepConnection());
			}
		}

		@Override
		public void onManagementRecord(RecordType type, int typeCode, ByteBuffer content) throws ProtocolException {
			if (type != RecordType.GET_VALUES) {
				writer.writeQuietly(RecordEncoder.unknownType(typeCode));
				return;
			}
			Map<String, String> known = server.values();
			Map<String, String> answer = new LinkedHashMap<>();
			NameValueDecoder names = new NameValueDecoder(settings().getLimits());
			names.decode(content, (name, value) -> {
				if (known.containsKey(name)) {
					answer.put(name, known.get(name));
				}
			});
			names.finish();
			NameValueEncoder body = new NameValueEncoder();
			answer.forEach(body::add);
			writer.writeQuietly(RecordEncoder.records(RecordType.GET_VALUES_RESULT, 0, body.toByteArray()));
		}

	}

}
