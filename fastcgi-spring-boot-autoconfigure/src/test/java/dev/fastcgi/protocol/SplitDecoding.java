package dev.fastcgi.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Feeds the same bytes to a fresh {@link RecordDecoder} in every way a reader could receive them
 * (whole in a heap buffer, whole in a direct buffer, split in two at every point, one byte at a
 * time) and asserts that every way decodes to the same events, or fails with the same
 * {@link ProtocolError}, as an {@link EventRecorder} sees them. The input ends with
 * {@link RecordDecoder#endOfInput()}.
 */
public final class SplitDecoding {

	private SplitDecoding() {
	}

	public static List<DecodedEvent> decode(byte[] bytes) {
		return decode(bytes, DecoderLimits.DEFAULTS);
	}

	public static List<DecodedEvent> decode(byte[] bytes, DecoderLimits limits) {
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

	public static void assertFails(byte[] bytes, DecoderLimits limits, ProtocolError expected) {
		for (Way way : ways(bytes)) {
			assertThatExceptionOfType(ProtocolException.class).as(way.name)
				.isThrownBy(() -> feed(way, limits))
				.satisfies((ex) -> assertThat(ex.error()).as(way.name).isEqualTo(expected));
		}
	}

	public static void assertFails(byte[] bytes, ProtocolError expected) {
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
		EventRecorder recorder = new EventRecorder(limits);
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

}
