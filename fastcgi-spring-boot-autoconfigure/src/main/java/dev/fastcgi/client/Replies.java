package dev.fastcgi.client;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.fastcgi.protocol.RecordListener;
import dev.fastcgi.protocol.RecordType;

/**
 * Sorts the records a server sends into a {@link Reply} per request id and a queue of management
 * records. Anything an application server must not send (a record for a request not in flight,
 * an input stream, BEGIN_REQUEST, ABORT_REQUEST) is noted as a violation rather than ignored, since
 * this client exists to test servers.
 */
final class Replies implements RecordListener {

	private final boolean acceptAnyRequestId;

	private final Map<Integer, Reply> inFlight = new HashMap<>();

	private final List<Reply> ended = new ArrayList<>();

	private final Deque<FastCgiClient.ManagementRecord> managementRecords = new ArrayDeque<>();

	private String violation;

	/**
	 * @param acceptAnyRequestId whether output for a request id never registered starts a reply of
	 * its own (for raw exchanges) instead of being a violation
	 */
	Replies(boolean acceptAnyRequestId) {
		this.acceptAnyRequestId = acceptAnyRequestId;
	}

	Reply register(int requestId) {
		Reply reply = new Reply(requestId);
		this.inFlight.put(requestId, reply);
		return reply;
	}

	boolean isInFlight(int requestId) {
		return this.inFlight.containsKey(requestId);
	}

	boolean hasRequestsInFlight() {
		return !this.inFlight.isEmpty();
	}

	/** The replies completed by END_REQUEST, in the order their END_REQUEST came. */
	List<Reply> ended() {
		return this.ended;
	}

	Deque<FastCgiClient.ManagementRecord> managementRecords() {
		return this.managementRecords;
	}

	/** The first thing the server sent that it must not have, or {@code null}. */
	String violation() {
		return this.violation;
	}

	@Override
	public void onBeginRequest(int requestId, int roleCode, boolean keepConnection) {
		violate("The server sent FCGI_BEGIN_REQUEST for request " + requestId);
	}

	@Override
	public void onAbortRequest(int requestId) {
		violate("The server sent FCGI_ABORT_REQUEST for request " + requestId);
	}

	@Override
	public void onStreamContent(RecordType type, int requestId, ByteBuffer content) {
		Reply reply = replyFor(type, requestId);
		if (reply != null) {
			if (type == RecordType.STDOUT) {
				reply.addStdout(content);
			}
			else {
				reply.addStderr(content);
			}
		}
	}

	@Override
	public void onStreamEnd(RecordType type, int requestId) {
		Reply reply = replyFor(type, requestId);
		if (reply != null && type == RecordType.STDOUT) {
			reply.endStdout();
		}
	}

	@Override
	public void onEndRequest(int requestId, long appStatus, int protocolStatusCode) {
		Reply reply = replyFor(RecordType.END_REQUEST, requestId);
		if (reply != null) {
			reply.end(appStatus, protocolStatusCode);
			this.inFlight.remove(requestId);
			this.ended.add(reply);
		}
	}

	@Override
	public void onManagementRecord(RecordType type, int typeCode, ByteBuffer content) {
		byte[] bytes = new byte[content.remaining()];
		content.get(bytes);
		this.managementRecords.add(new FastCgiClient.ManagementRecord(type, typeCode, bytes));
	}

	private Reply replyFor(RecordType type, int requestId) {
		if (type != RecordType.STDOUT && type != RecordType.STDERR && type != RecordType.END_REQUEST) {
			violate("The server sent a " + type + " record for request " + requestId);
			return null;
		}
		Reply reply = this.inFlight.get(requestId);
		if (reply == null && this.acceptAnyRequestId) {
			reply = register(requestId);
		}
		if (reply == null) {
			violate("The server sent a " + type + " record for request " + requestId + ", which is not in flight");
		}
		return reply;
	}

	private void violate(String message) {
		if (this.violation == null) {
			this.violation = message;
		}
	}

}
