package dev.fastcgi.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.fastcgi.protocol.DecodedEvent.Abort;
import dev.fastcgi.protocol.DecodedEvent.Begin;
import dev.fastcgi.protocol.DecodedEvent.Content;
import dev.fastcgi.protocol.DecodedEvent.End;
import dev.fastcgi.protocol.DecodedEvent.Management;
import dev.fastcgi.protocol.DecodedEvent.Pair;
import dev.fastcgi.protocol.DecodedEvent.Params;
import dev.fastcgi.protocol.DecodedEvent.StreamEnd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Feeds the same bytes to a fresh {@link RecordDecoder} in every way a reader could receive them
 * (whole in a heap buffer, whole in a direct buffer, split in two at every point, one byte at a
 * time) and asserts that every way decodes to the same events, or fails with the same
 * {@link ProtocolError}. PARAMS streams are decoded with a {@link NameValueDecoder} per request, as
 * a server does. The input ends with {@link RecordDecoder#endOfInput()}.
 */
final class SplitDecoding {

	private SplitDecoding() {
	}

	static List<DecodedEvent> decode(byte[] bytes) {
		return decode(bytes, DecoderLimits.DEFAULTS);
	}

	static List<DecodedEvent> decode(byte[] bytes, DecoderLimits limits) {
		List<DecodedEvent> first = null;
		for (Way way : ways(bytes)) {
			List<DecodedEvent> events;
			try {
				events = feed(way, limits);
			}
			catch (ProtocolException ex) {
				throw new AssertionError("Decoding " + way.name + " failed with " + ex.error(), ex);
			}
			if (first == null) {
				first = events;
			}
			else {
				assertThat(events).as(way.name).isEqualTo(first);
			}
		}
		return first;
	}

	static void assertFails(byte[] bytes, DecoderLimits limits, ProtocolError expected) {
		for (Way way : ways(bytes)) {
			assertThatExceptionOfType(ProtocolException.class).as(way.name)
				.isThrownBy(() -> feed(way, limits))
				.satisfies((ex) -> assertThat(ex.error()).as(way.name).isEqualTo(expected));
		}
	}

	static void assertFails(byte[] bytes, ProtocolError expected) {
		assertFails(bytes, DecoderLimits.DEFAULTS, expected);
	}

	private static List<Way> ways(byte[] bytes) {
		List<Way> ways = new ArrayList<>();
		ways.add(new Way("whole", (chunk) -> ByteBuffer.wrap(bytes), 1));
		ways.add(new Way("whole in a direct buffer", (chunk) -> ByteBuffer.allocateDirect(bytes.length).put(bytes).flip(),
				1));
		for (int split = 1; split < bytes.length; split++) {
			int at = split;
			ways.add(new Way("split at " + at,
					(chunk) -> (chunk == 0) ? ByteBuffer.wrap(bytes, 0, at) : ByteBuffer.wrap(bytes, at, bytes.length - at),
					2));
		}
		ways.add(new Way("one byte at a time", (chunk) -> ByteBuffer.wrap(bytes, chunk, 1), bytes.length));
		return ways;
	}

	private static List<DecodedEvent> feed(Way way, DecoderLimits limits) throws ProtocolException {
		Recorder recorder = new Recorder(limits);
		RecordDecoder decoder = new RecordDecoder(limits, recorder);
		for (int chunk = 0; chunk < way.chunkCount; chunk++) {
			ByteBuffer buffer = way.chunks.apply(chunk);
			decoder.decode(buffer);
			assertThat(buffer.hasRemaining()).as("%s left bytes in chunk %d", way.name, chunk).isFalse();
		}
		decoder.endOfInput();
		return recorder.events();
	}

	private record Way(String name, Function<Integer, ByteBuffer> chunks, int chunkCount) {
	}

	private static final class Recorder implements RecordListener {

		private final DecoderLimits limits;

		private final List<DecodedEvent> events = new ArrayList<>();

		private final ByteArrayOutputStream openContent = new ByteArrayOutputStream();

		private RecordType openType;

		private int openRequestId;

		private final Map<Integer, NameValueDecoder> paramsDecoders = new HashMap<>();

		private final Map<Integer, List<Pair>> pairs = new HashMap<>();

		Recorder(DecoderLimits limits) {
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

		List<DecodedEvent> events() {
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

}
