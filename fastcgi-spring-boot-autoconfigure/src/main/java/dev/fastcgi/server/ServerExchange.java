package dev.fastcgi.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.fastcgi.protocol.NameValueDecoder;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;
import dev.fastcgi.protocol.Role;

/**
 * The server's side of one request on a connection: what has arrived of it and the streams its
 * handler writes.
 */
final class ServerExchange implements FastCgiExchange {

	private static final int OUTPUT_BUFFER_SIZE = 16 * 1024;

	/** The length of the array a STDOUT stream buffers in, pooled by the server. */
	static final int OUTPUT_BUFFER_LENGTH = RecordOutputStream.bufferLength(OUTPUT_BUFFER_SIZE);

	private final Connection connection;

	private final int requestId;

	private final Role role;

	private final boolean keepConnection;

	private final Params params;

	private final NameValueDecoder paramsDecoder;

	private final BodyInputStream stdin;

	private final BodyInputStream data;

	private final RecordOutputStream stdout;

	private final RecordOutputStream stderr;

	private final List<Runnable> abortCallbacks = new ArrayList<>();

	private boolean paramsComplete;

	private volatile boolean aborted;

	private volatile int appStatus;

	/** Whether the handler asked for the response to be broken off ({@link #breakOff()}). */
	private volatile boolean brokenOff;

	private final long begunAt = System.nanoTime();

	/** When the handler started; 0 before. */
	private volatile long startedAt;

	/** Whether END_REQUEST was sent or is being sent: exactly once, by whoever sets this. */
	private final AtomicBoolean ended = new AtomicBoolean();

	ServerExchange(Connection connection, int requestId, Role role, boolean keepConnection) {
		this.connection = connection;
		this.requestId = requestId;
		this.role = role;
		this.keepConnection = keepConnection;
		this.params = new Params(connection.recentStrings());
		this.paramsDecoder = new NameValueDecoder(connection.settings().getLimits(), connection.recentStrings());
		this.stdin = new BodyInputStream(connection, this);
		this.data = new BodyInputStream(connection, this);
		this.stdout = new RecordOutputStream(RecordType.STDOUT, requestId, this, OUTPUT_BUFFER_SIZE);
		this.stdout.markUsed();
		this.stderr = new RecordOutputStream(RecordType.STDERR, requestId, this, 1024);
		if (role == Role.AUTHORIZER) {
			// web servers send an authorizer no STDIN (lighttpd none even when the request has a body)
			this.stdin.end();
		}
		if (role != Role.FILTER) {
			this.data.end();
		}
	}

	@Override
	public int requestId() {
		return this.requestId;
	}

	@Override
	public Role role() {
		return this.role;
	}

	@Override
	public boolean keepConnection() {
		return this.keepConnection;
	}

	@Override
	public Params params() {
		return this.params;
	}

	@Override
	public InputStream stdin() {
		return this.stdin;
	}

	@Override
	public InputStream data() {
		return this.data;
	}

	@Override
	public OutputStream stdout() {
		return this.stdout;
	}

	@Override
	public OutputStream stderr() {
		return this.stderr;
	}

	@Override
	public void setAppStatus(int appStatus) {
		this.appStatus = appStatus;
	}

	@Override
	public void breakOff() {
		this.appStatus = 1;
		this.brokenOff = true;
	}

	boolean isBrokenOff() {
		return this.brokenOff;
	}

	/** Eight zero bytes: the header of a record of no FastCGI version (see {@link #sendBrokenOff()}). */
	private static ByteBuffer unreadableRecordHeader() {
		return ByteBuffer.wrap(new byte[RecordDecoder.HEADER_LENGTH]);
	}

	/**
	 * Sends what the handler wrote and, instead of the end of STDOUT and END_REQUEST, on a
	 * connection the web server does not keep, eight zero bytes: a record header of no FastCGI
	 * version. nginx without {@code fastcgi_keep_conn} takes a connection that closes between
	 * records for a response that ended and passes it on whole; a header it cannot read makes it
	 * give the response up. Where the connection is kept, its closing before END_REQUEST says
	 * enough.
	 */
	void sendBrokenOff() throws IOException {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		try {
			this.stdout.flush();
			this.stderr.flush();
			if (!this.keepConnection) {
				this.connection.writer().write(unreadableRecordHeader());
			}
		}
		finally {
			this.stdout.releaseBuffer();
			this.stderr.releaseBuffer();
		}
	}

	@Override
	public boolean isAborted() {
		return this.aborted;
	}

	@Override
	public void onAbort(Runnable callback) {
		boolean runNow;
		synchronized (this.abortCallbacks) {
			runNow = this.aborted;
			if (!runNow) {
				this.abortCallbacks.add(callback);
			}
		}
		if (runNow) {
			callback.run();
		}
	}

	/**
	 * Marks the request aborted and runs the callbacks once.
	 * @return whether this call aborted it
	 */
	boolean abort() {
		List<Runnable> callbacks;
		synchronized (this.abortCallbacks) {
			if (this.aborted) {
				return false;
			}
			this.aborted = true;
			callbacks = new ArrayList<>(this.abortCallbacks);
			this.abortCallbacks.clear();
		}
		this.connection.signalProgressLocked();
		for (Runnable callback : callbacks) {
			callback.run();
		}
		return true;
	}

	long begunAt() {
		return this.begunAt;
	}

	void started() {
		this.startedAt = System.nanoTime();
	}

	/** When the handler started, or 0 while it has not. */
	long startedAt() {
		return this.startedAt;
	}

	/** When a reader of the body started waiting for the web server, or 0 while nobody waits. */
	long bodyWaitingSince() {
		long stdinWaiting = this.stdin.waitingSince();
		return (stdinWaiting != 0) ? stdinWaiting : this.data.waitingSince();
	}

	/**
	 * Answers the request now, whatever its handler is doing (it ran too long, or its body is too
	 * large): the handler's further reads and writes fail. Unless the handler's response has
	 * started going out, the web server gets a CGI response with this status and a short text;
	 * if it has, the response is broken off when it may be (the request is its connection's
	 * only one, which the caller then closes), else ended.
	 * @return whether this ended the request, rather than the handler or an earlier call
	 */
	boolean endEarly(int status, String reason, int appStatus, boolean mayBreakOff) {
		if (!this.ended.compareAndSet(false, true)) {
			return false;
		}
		this.appStatus = appStatus;
		abort();
		List<ByteBuffer> records = new ArrayList<>(3);
		// read after abort(): a handler sending from now on finds the request aborted
		boolean started = this.stdout.hasSent();
		if (started && mayBreakOff) {
			this.brokenOff = true;
			if (!this.keepConnection) {
				records.add(unreadableRecordHeader());
			}
		}
		else {
			if (!started) {
				records.add(ByteBuffer.wrap(RecordEncoder.records(RecordType.STDOUT, this.requestId,
						cgiResponse(status, reason, "").getBytes(StandardCharsets.ISO_8859_1))));
			}
			records.add(ByteBuffer.wrap(RecordEncoder.streamEnd(RecordType.STDOUT, this.requestId)));
			records.add(endRequestRecord());
		}
		try {
			this.connection.writer().write(records.toArray(ByteBuffer[]::new));
		}
		catch (IOException ex) {
			// the web server is gone; the connection closes
		}
		return true;
	}

	/** A whole CGI response with a plain text body naming the status. */
	static String cgiResponse(int status, String reason, String extraHeaders) {
		String body = status + " " + reason + "\n";
		return "Status: " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
				+ "\r\n" + extraHeaders + "\r\n" + body;
	}

	private ByteBuffer endRequestRecord() {
		return ByteBuffer.wrap(RecordEncoder.endRequest(this.requestId, this.appStatus & 0xFFFFFFFFL,
				ProtocolStatus.REQUEST_COMPLETE));
	}

	NameValueDecoder paramsDecoder() {
		return this.paramsDecoder;
	}

	boolean isParamsComplete() {
		return this.paramsComplete;
	}

	void paramsCompleted() {
		this.paramsComplete = true;
	}

	BodyInputStream stdinStream() {
		return this.stdin;
	}

	BodyInputStream dataStream() {
		return this.data;
	}

	void send(ByteBuffer... buffers) throws IOException {
		if (this.aborted) {
			throw new RequestAbortedException("Request " + this.requestId + " was aborted by the web server");
		}
		try {
			this.connection.writer().write(buffers);
		}
		catch (IOException ex) {
			throw new RequestAbortedException("The connection to the web server broke while sending the response of request "
					+ this.requestId + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Ends the output streams (unless the request was aborted) and the request, in one write:
	 * the web server learns the app status. Does nothing when the request was ended early.
	 */
	void complete() throws IOException {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		try {
			if (this.aborted) {
				this.connection.writer().write(endRequestRecord());
			}
			else if (this.stderr.isUnused()) {
				this.connection.writer().write(this.stdout.finishWithEndRequest(this.appStatus & 0xFFFFFFFFL,
						ProtocolStatus.REQUEST_COMPLETE));
			}
			else {
				List<ByteBuffer> records = new ArrayList<>(4);
				this.stdout.finishInto(records);
				this.stderr.finishInto(records);
				records.add(endRequestRecord());
				this.connection.writer().write(records.toArray(ByteBuffer[]::new));
			}
		}
		finally {
			this.stdout.releaseBuffer();
			this.stderr.releaseBuffer();
		}
	}

	/** A direct buffer to frame records in, at least this long; see {@link RecordOutputStream}. */
	ByteBuffer borrowRecordBuffer(int length) {
		return this.connection.server().takeRecordBuffer(length);
	}

	ByteBuffer borrowLargeRecordBuffer() {
		return this.connection.server().takeLargeRecordBuffer();
	}

	void releaseRecordBuffer(ByteBuffer buffer) {
		this.connection.server().giveRecordBuffer(buffer);
	}

	@Override
	public byte[] borrowBuffer(int length) {
		return this.connection.borrowOutputBuffer(length);
	}

	@Override
	public void releaseBuffer(byte[] buffer) {
		this.connection.returnOutputBuffer(buffer);
	}

}
