package dev.fastcgi.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What arrived so far for one request id: STDOUT (kept as chunks so that it can be read as it
 * arrives), STDERR and, once it came, {@code FCGI_END_REQUEST}.
 */
final class Reply {

	private final int requestId;

	private final Deque<byte[]> stdout = new ArrayDeque<>();

	private int stdoutHeadOffset;

	private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

	private boolean stdoutEnded;

	private boolean ended;

	private long appStatus;

	private int protocolStatusCode;

	Reply(int requestId) {
		this.requestId = requestId;
	}

	int requestId() {
		return this.requestId;
	}

	void addStdout(ByteBuffer content) {
		byte[] chunk = new byte[content.remaining()];
		content.get(chunk);
		this.stdout.add(chunk);
	}

	void addStderr(ByteBuffer content) {
		byte[] chunk = new byte[content.remaining()];
		content.get(chunk);
		this.stderr.writeBytes(chunk);
	}

	void endStdout() {
		this.stdoutEnded = true;
	}

	void end(long appStatus, int protocolStatusCode) {
		this.appStatus = appStatus;
		this.protocolStatusCode = protocolStatusCode;
		this.ended = true;
	}

	boolean isEnded() {
		return this.ended;
	}

	/** Whether no more STDOUT can come: its empty record or END_REQUEST arrived. */
	boolean isStdoutComplete() {
		return this.stdoutEnded || this.ended;
	}

	boolean hasUnreadStdout() {
		return !this.stdout.isEmpty();
	}

	/** Takes up to {@code length} unread STDOUT bytes; there must be some. */
	int readStdout(byte[] target, int offset, int length) {
		byte[] head = this.stdout.peek();
		int count = Math.min(length, head.length - this.stdoutHeadOffset);
		System.arraycopy(head, this.stdoutHeadOffset, target, offset, count);
		this.stdoutHeadOffset += count;
		if (this.stdoutHeadOffset == head.length) {
			this.stdout.remove();
			this.stdoutHeadOffset = 0;
		}
		return count;
	}

	FastCgiClient.Response toResponse() {
		ByteArrayOutputStream unread = new ByteArrayOutputStream();
		int offset = this.stdoutHeadOffset;
		for (byte[] chunk : this.stdout) {
			unread.write(chunk, offset, chunk.length - offset);
			offset = 0;
		}
		return new FastCgiClient.Response(this.requestId, this.appStatus, this.protocolStatusCode,
				unread.toByteArray(), this.stderr.toString(StandardCharsets.UTF_8));
	}

}
