package dev.fastcgi.protocol;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the decoders: whatever bytes arrive, they fail with a
 * {@link ProtocolException} or not at all. Interesting inputs are kept in
 * {@code src/test/resources/dev/fastcgi/protocol/DecoderFuzzTestsInputs} and replayed by every
 * build; the Surefire execution {@code fuzz} fuzzes for {@code maxDuration} with
 * {@code JAZZER_FUZZ=1}, each fuzz test class in a JVM of its own (Jazzer fuzzes one test a JVM).
 */
class DecoderFuzzTests {

	private static final DecoderLimits SMALL = new DecoderLimits(4096, 64, 256, 1024, 256);

	@FuzzTest(maxDuration = "15s")
	void decodersFailOnlyWithProtocolExceptions(byte[] input) {
		NameValueDecoder params = new NameValueDecoder(SMALL);
		RecordDecoder decoder = new RecordDecoder(SMALL, new RecordListener() {

			@Override
			public void onStreamContent(RecordType type, int requestId, ByteBuffer content) throws ProtocolException {
				if (type == RecordType.PARAMS) {
					params.decode(content, (name, value) -> {
					});
				}
			}

			@Override
			public void onStreamEnd(RecordType type, int requestId) throws ProtocolException {
				if (type == RecordType.PARAMS) {
					params.finish();
				}
			}

		});
		try {
			// split in two reads, as the network may
			int split = input.length / 3;
			decoder.decode(ByteBuffer.wrap(input, 0, split));
			decoder.decode(ByteBuffer.wrap(input, split, input.length - split));
			decoder.endOfInput();
		}
		catch (ProtocolException expected) {
			// a broken stream is reported as such
		}
	}

}
