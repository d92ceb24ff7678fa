package dev.fastcgi.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.fastcgi.protocol.DecodedEvent.Abort;
import dev.fastcgi.protocol.DecodedEvent.Begin;
import dev.fastcgi.protocol.DecodedEvent.Content;
import dev.fastcgi.protocol.DecodedEvent.End;
import dev.fastcgi.protocol.DecodedEvent.Management;
import dev.fastcgi.protocol.DecodedEvent.Pair;
import dev.fastcgi.protocol.DecodedEvent.Params;
import dev.fastcgi.protocol.DecodedEvent.StreamEnd;

/**
 * Records what a {@link RecordDecoder} reports as {@link DecodedEvent}s: stream content merged
 * until another event comes, PARAMS streams decoded into pairs by a {@link NameValueDecoder} per
 * request, as a server does.
 */
public final class EventRecorder implements RecordListener {

	private final DecoderLimits limits;

	private final List<DecodedEvent> events = new ArrayList<>();

	private final ByteArrayOutputStream openContent = new ByteArrayOutputStream();

	private RecordType openType;

	private int openRequestId;

	private final Map<Integer, NameValueDecoder> paramsDecoders = new HashMap<>();

	private final Map<Integer, List<Pair>> pairs = new HashMap<>();

	public EventRecorder(DecoderLimits limits) {
		this.limits = limits;
	}

	@Override
	public void onBeginRequest(int requestId, int roleCode, boolean keepConnection) {
		add(new Begin(requestId, roleCode, keepConnection));
	}

	@Override
	public void onAbortRequest(int requestId) {
		add(new Abort(requestId));
	}

	@Override
	public void onStreamContent(RecordType type, int requestId, ByteBuffer content) throws ProtocolException {
		if (type == RecordType.PARAMS) {
			List<Pair> requestPairs = this.pairs.computeIfAbsent(requestId, (id) -> new ArrayList<>());
			this.paramsDecoders.computeIfAbsent(requestId, (id) -> new NameValueDecoder(this.limits))
				.decode(content, (name, value) -> requestPairs.add(new Pair(name, value)));
			return;
		}
		if (this.openType != type || this.openRequestId != requestId) {
			closeContent();
			this.openType = type;
			this.openRequestId = requestId;
		}
		if (content.hasArray()) {
			this.openContent.write(content.array(), content.arrayOffset() + content.position(), content.remaining());
		}
		else {
			this.openContent.writeBytes(bytes(content));
		}
	}

	/** Stream content is merged until another event arrives, since splits move its boundaries. */
	private void add(DecodedEvent event) {
		closeContent();
		this.events.add(event);
	}

	private void closeContent() {
		if (this.openType != null) {
			this.events.add(new Content(this.openType, this.openRequestId,
					this.openContent.toString(StandardCharsets.ISO_8859_1)));
			this.openContent.reset();
			this.openType = null;
		}
	}

	/** The events so far; content still arriving is reported, and continues as a new event. */
	public List<DecodedEvent> events() {
		closeContent();
		return this.events;
	}

	@Override
	public void onStreamEnd(RecordType type, int requestId) throws ProtocolException {
		if (type == RecordType.PARAMS) {
			NameValueDecoder decoder = this.paramsDecoders.remove(requestId);
			if (decoder != null) {
				decoder.finish();
			}
			List<Pair> requestPairs = this.pairs.remove(requestId);
			add(new Params(requestId, (requestPairs != null) ? requestPairs : List.of()));
		}
		else {
			add(new StreamEnd(type, requestId));
		}
	}

	@Override
	public void onEndRequest(int requestId, long appStatus, int protocolStatusCode) {
		add(new End(requestId, appStatus, protocolStatusCode));
	}

	@Override
	public void onManagementRecord(RecordType type, int typeCode, ByteBuffer content) {
		add(new Management(type, typeCode, new String(bytes(content), StandardCharsets.ISO_8859_1)));
	}

	private static byte[] bytes(ByteBuffer content) {
		byte[] bytes = new byte[content.remaining()];
		content.get(bytes);
		return bytes;
	}

}

