package dev.fastcgi.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.fastcgi.protocol.NameValueDecoder;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordType;
import dev.fastcgi.protocol.Role;

/**
 * The server's side of one request on a connection: what has arrived of it and the streams its
 * handler writes.
 */
final class ServerExchange implements FastCgiExchange {

	private static final int OUTPUT_BUFFER_SIZE = 16 * 1024;

	private final Connection connection;

	private final int requestId;

	private final Role role;

	private final boolean keepConnection;

	private final Params params = new Params();

	private final NameValueDecoder paramsDecoder;

	private final BodyInputStream stdin;

	private final BodyInputStream data;

	private final RecordOutputStream stdout;

	private final RecordOutputStream stderr;

	private final List<Runnable> abortCallbacks = new ArrayList<>();

	private boolean paramsComplete;

	private volatile boolean aborted;

	private int appStatus;

	ServerExchange(Connection connection, int requestId, Role role, boolean keepConnection) {
		this.connection = connection;
		this.requestId = requestId;
		this.role = role;
		this.keepConnection = keepConnection;
		this.paramsDecoder = new NameValueDecoder(connection.settings().getLimits());
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

	/** Marks the request aborted and runs the callbacks once. */
	void abort() {
		List<Runnable> callbacks;
		synchronized (this.abortCallbacks) {
			if (this.aborted) {
				return;
			}
			this.aborted = true;
			callbacks = new ArrayList<>(this.abortCallbacks);
			this.abortCallbacks.clear();
		}
		this.connection.signalProgressLocked();
		for (Runnable callback : callbacks) {
			callback.run();
		}
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
			throw new IOException("Request " + this.requestId + " was aborted by the web server");
		}
		this.connection.writer().write(buffers);
	}

	/**
	 * Ends the output streams (unless the request was aborted) and the request, in one write:
	 * the web server learns the app status.
	 */
	void complete() throws IOException {
		List<ByteBuffer> records = new ArrayList<>(4);
		if (!this.aborted) {
			this.stdout.finishInto(records);
			this.stderr.finishInto(records);
		}
		records.add(ByteBuffer.wrap(RecordEncoder.endRequest(this.requestId, this.appStatus & 0xFFFFFFFFL,
				ProtocolStatus.REQUEST_COMPLETE)));
		try {
			this.connection.writer().write(records.toArray(ByteBuffer[]::new));
		}
		finally {
			this.stdout.releaseBuffer();
			this.stderr.releaseBuffer();
		}
	}

	byte[] borrowBuffer(int size) {
		return this.connection.borrowOutputBuffer(size);
	}

	void returnBuffer(byte[] buffer) {
		this.connection.returnOutputBuffer(buffer);
	}

}
