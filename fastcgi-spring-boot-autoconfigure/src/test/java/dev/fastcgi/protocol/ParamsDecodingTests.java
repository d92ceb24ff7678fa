package dev.fastcgi.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import dev.fastcgi.protocol.DecodedEvent.Pair;
import dev.fastcgi.protocol.DecodedEvent.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.fastcgi.protocol.SplitDecoding.assertFails;
import static dev.fastcgi.protocol.SplitDecoding.decode;
import static dev.fastcgi.protocol.Wire.concat;
import static dev.fastcgi.protocol.Wire.pairs;
import static dev.fastcgi.protocol.Wire.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NameValueDecoder} fed the way a server feeds it: the content of a PARAMS stream, record by
 * record, finished by the stream's empty record.
 */
class ParamsDecodingTests {

	private static final DecoderLimits ROOMY = new DecoderLimits(1024 * 1024, 100, 70_000, 70_000, 8192);

	@Test
	void anEmptyStreamHasNoPairs() {
		assertThat(decode(params(new byte[0]))).containsExactly(new Params(1, List.of()));
	}

	@Test
	void aPairMayStraddleRecordsAnywhereEvenInsideAFourByteLength() {
		String longName = "N".repeat(128);
		String longValue = "v".repeat(200);
		byte[] content = pairs("SCRIPT_NAME", "/index", longName, longValue, "", "");
		List<Pair> expected = List.of(new Pair("SCRIPT_NAME", "/index"), new Pair(longName, longValue), new Pair("", ""));
		for (int boundary = 1; boundary < content.length; boundary++) {
			byte[] bytes = concat(record(RecordType.PARAMS, 1, Arrays.copyOf(content, boundary)),
					params(Arrays.copyOfRange(content, boundary, content.length)));
			assertThat(decode(bytes)).as("record boundary at %d", boundary).containsExactly(new Params(1, expected));
		}
	}

	@Test
	void wellKnownNamesDecodeToSharedStringsAndLookAlikesToTheirOwnText() throws ProtocolException {
		List<String> names = new ArrayList<>();
		NameValueDecoder decoder = new NameValueDecoder(ROOMY);
		decoder.decode(ByteBuffer.wrap(pairs("REQUEST_METHOD", "GET", "REQUEST_METHOE", "x", "HTTP_HOST", "h",
				"HTTP_HOSU", "y")), (name, value) -> names.add(name));
		decoder.finish();
		assertThat(names).containsExactly("REQUEST_METHOD", "REQUEST_METHOE", "HTTP_HOST", "HTTP_HOSU");
		assertThat(names.get(0)).isSameAs("REQUEST_METHOD");
		assertThat(names.get(2)).isSameAs("HTTP_HOST");
	}

	@Test
	void theFourByteLengthFormIsAcceptedForShortLengths() {
		byte[] content = { (byte) 0x80, 0, 0, 3, (byte) 0x80, 0, 0, 0, 'a', 'b', 'c', 1, (byte) 0x80, 0, 0, 1, 'x', 'y' };
		assertThat(decode(params(content))).containsExactly(new Params(1, List.of(new Pair("abc", ""), new Pair("x", "y"))));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 127, 128, 65535, 65536 })
	void namesOfAnyLengthUpToTheLimitCarryEveryByteValue(int length) {
		String name = everyByte(length);
		assertThat(decode(params(pairs(name, "v")), ROOMY)).containsExactly(new Params(1, List.of(new Pair(name, "v"))));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 127, 128, 65535, 65536 })
	void valuesOfAnyLengthUpToTheLimitCarryEveryByteValue(int length) {
		String value = everyByte(length);
		assertThat(decode(params(pairs("N", value)), ROOMY)).containsExactly(new Params(1, List.of(new Pair("N", value))));
	}

	@Test
	void aStreamEndingInsideAPairIsTruncated() {
		byte[] first = pairs("NAME", "value");
		byte[] content = concat(first, pairs("N".repeat(128), "v"));
		for (int length = 1; length < content.length; length++) {
			if (length != first.length) {
				assertFails(params(Arrays.copyOf(content, length)), ProtocolError.TRUNCATED);
			}
		}
	}

	@Test
	void paramsMayReachButNotExceedTheirTotalSize() {
		DecoderLimits limits = new DecoderLimits(100, 100, 1000, 1000, 8192);
		assertLimit(limits, 100, (size) -> pairs("N", "v".repeat(size - 3)), ProtocolError.PARAMS_TOO_LARGE);
	}

	@Test
	void paramsMayReachButNotExceedTheirCount() {
		DecoderLimits limits = new DecoderLimits(1024, 3, 1000, 1000, 8192);
		assertLimit(limits, 3, (count) -> {
			List<String> namesAndValues = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				namesAndValues.add("N" + i);
				namesAndValues.add("v");
			}
			return pairs(namesAndValues.toArray(String[]::new));
		}, ProtocolError.TOO_MANY_PARAMS);
	}

	@Test
	void aNameMayReachButNotExceedItsLength() {
		DecoderLimits limits = new DecoderLimits(1024, 100, 200, 1000, 8192);
		assertLimit(limits, 200, (length) -> pairs("N".repeat(length), "v"), ProtocolError.NAME_TOO_LONG);
	}

	@Test
	void aValueMayReachButNotExceedItsLength() {
		DecoderLimits limits = new DecoderLimits(1024, 100, 1000, 200, 8192);
		assertLimit(limits, 200, (length) -> pairs("N", "v".repeat(length)), ProtocolError.VALUE_TOO_LONG);
	}

	@Test
	void hugeLengthsAreRefusedBeforeAnythingIsAllocated() {
		byte[] hugeName = { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1 };
		byte[] hugeValue = { 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF };
		assertFails(params(hugeName), ProtocolError.NAME_TOO_LONG);
		assertFails(params(hugeValue), ProtocolError.VALUE_TOO_LONG);
	}

	private static void assertLimit(DecoderLimits limits, int limit, IntFunction<byte[]> contentOfSize,
			ProtocolError error) {
		assertThat(decode(params(contentOfSize.apply(limit)), limits)).hasSize(1);
		assertFails(params(contentOfSize.apply(limit + 1)), limits, error);
	}

	/** The content as PARAMS records of request 1 (as many as it takes), then the empty record. */
	private static byte[] params(byte[] content) {
		return concat(RecordEncoder.records(RecordType.PARAMS, 1, content), RecordEncoder.streamEnd(RecordType.PARAMS, 1));
	}

	private static String everyByte(int length) {
		char[] chars = new char[length];
		for (int i = 0; i < length; i++) {
			chars[i] = (char) (i & 0xFF);
		}
		return new String(chars);
	}

}
