package dev.fastcgi.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import dev.fastcgi.protocol.DecodedEvent.Abort;
import dev.fastcgi.protocol.DecodedEvent.Begin;
import dev.fastcgi.protocol.DecodedEvent.Content;
import dev.fastcgi.protocol.DecodedEvent.End;
import dev.fastcgi.protocol.DecodedEvent.Management;
import dev.fastcgi.protocol.DecodedEvent.Pair;
import dev.fastcgi.protocol.DecodedEvent.Params;
import dev.fastcgi.protocol.DecodedEvent.StreamEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.fastcgi.protocol.SplitDecoding.assertFails;
import static dev.fastcgi.protocol.SplitDecoding.decode;
import static dev.fastcgi.protocol.Wire.concat;
import static dev.fastcgi.protocol.Wire.latin1;
import static dev.fastcgi.protocol.Wire.record;
import static org.assertj.core.api.Assertions.assertThat;

class RecordDecoderTests {

	@ParameterizedTest
	@EnumSource(value = RecordType.class, names = { "STDIN", "STDOUT", "STDERR", "DATA" })
	void streamRecordsDeliverTheirContentThenTheEmptyRecordEndsTheStream(RecordType type) {
		byte[] bytes = concat(record(type, 1, "hello, "), record(type, 1, "world"), record(type, 1, ""));
		assertThat(decode(bytes)).containsExactly(new Content(type, 1, "hello, world"), new StreamEnd(type, 1));
	}

	@Test
	void paramsRecordsDeliverPairsWhenTheirStreamEnds() {
		byte[] bytes = concat(record(RecordType.PARAMS, 1, Wire.pairs("REQUEST_METHOD", "GET", "QUERY_STRING", "")),
				record(RecordType.PARAMS, 1, ""));
		assertThat(decode(bytes)).containsExactly(
				new Params(1, List.of(new Pair("REQUEST_METHOD", "GET"), new Pair("QUERY_STRING", ""))));
	}

	@Test
	void recordsOfSeveralRequestsInterleave() {
		byte[] bytes = concat(record(RecordType.STDOUT, 1, "one"), record(RecordType.STDOUT, 2, "two"),
				record(RecordType.STDOUT, 1, ""), record(RecordType.STDOUT, 2, ""));
		assertThat(decode(bytes)).containsExactly(new Content(RecordType.STDOUT, 1, "one"),
				new Content(RecordType.STDOUT, 2, "two"), new StreamEnd(RecordType.STDOUT, 1),
				new StreamEnd(RecordType.STDOUT, 2));
	}

	@Test
	void beginRequestCarriesRoleAndKeepConnection() {
		byte[] bytes = concat(RecordEncoder.beginRequest(1, Role.RESPONDER, false),
				RecordEncoder.beginRequest(2, Role.AUTHORIZER, true), RecordEncoder.beginRequest(0xFFFF, Role.FILTER, true));
		assertThat(decode(bytes)).containsExactly(new Begin(1, 1, false), new Begin(2, 2, true),
				new Begin(0xFFFF, 3, true));
	}

	@Test
	void beginRequestPassesAnUnknownRoleOnAndReadsOnlyBitZeroOfTheFlags() {
		byte[] bytes = concat(record(RecordType.BEGIN_REQUEST, 1, new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 0, 0, 0, 0, 0 }, 0),
				record(RecordType.BEGIN_REQUEST, 2, new byte[] { 0, 1, (byte) 0xFF, 0, 0, 0, 0, 0 }, 0));
		assertThat(decode(bytes)).containsExactly(new Begin(1, 0xFFFF, false), new Begin(2, 1, true));
	}

	@Test
	void abortRequestCarriesItsRequestId() {
		assertThat(decode(RecordEncoder.abortRequest(7))).containsExactly(new Abort(7));
	}

	@Test
	void endRequestCarriesAnUnsignedAppStatusAndTheProtocolStatus() {
		byte[] content = { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 3, 0, 0, 0 };
		assertThat(decode(record(RecordType.END_REQUEST, 5, content, 0))).containsExactly(new End(5, 0xFFFFFFFEL, 3));
	}

	@Test
	void managementRecordsOfKnownTypesAreDeliveredWhole() {
		byte[] query = Wire.pairs("FCGI_MAX_CONNS", "", "FCGI_MPXS_CONNS", "");
		byte[] result = Wire.pairs("FCGI_MPXS_CONNS", "1");
		byte[] unknownType = { 42, 0, 0, 0, 0, 0, 0, 0 };
		byte[] bytes = concat(record(RecordType.GET_VALUES, 0, query, 3), record(RecordType.GET_VALUES_RESULT, 0, result, 0),
				record(RecordType.UNKNOWN_TYPE, 0, unknownType, 0));
		assertThat(decode(bytes)).containsExactly(new Management(RecordType.GET_VALUES, 9, text(query)),
				new Management(RecordType.GET_VALUES_RESULT, 10, text(result)),
				new Management(RecordType.UNKNOWN_TYPE, 11, text(unknownType)));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 12, 128, 255 })
	void managementRecordsOfUnknownTypesAreDeliveredWithTheirCode(int typeCode) {
		byte[] bytes = concat(record(RecordDecoder.VERSION, typeCode, 0, latin1("what"), 4),
				record(RecordDecoder.VERSION, typeCode, 0, new byte[0], 0));
		assertThat(decode(bytes)).containsExactly(new Management(null, typeCode, "what"), new Management(null, typeCode, ""));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 9, 10, 11, 12, 255 })
	void recordsOfUnknownOrManagementTypeWithARequestIdAreSkippedWhateverTheirSize(int typeCode) {
		byte[] bytes = concat(record(RecordDecoder.VERSION, typeCode, 1, new byte[20_000], 255),
				record(RecordType.STDOUT, 1, "after"));
		assertThat(decode(bytes)).containsExactly(new Content(RecordType.STDOUT, 1, "after"));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 255 })
	void paddingIsSkippedOnEveryKindOfRecord(int padding) {
		byte[] bytes = concat(record(RecordType.BEGIN_REQUEST, 1, new byte[] { 0, 1, 1, 0, 0, 0, 0, 0 }, padding),
				record(RecordType.PARAMS, 1, Wire.pairs("A", "b"), padding), record(RecordType.PARAMS, 1, new byte[0], padding),
				record(RecordType.STDOUT, 1, latin1("abc"), padding), record(RecordType.STDOUT, 1, new byte[0], padding),
				record(RecordType.GET_VALUES, 0, latin1("xy"), padding),
				record(RecordType.END_REQUEST, 1, new byte[] { 0, 0, 0, 9, 0, 0, 0, 0 }, padding),
				record(RecordType.ABORT_REQUEST, 2, new byte[0], padding));
		assertThat(decode(bytes)).containsExactly(new Begin(1, 1, true), new Params(1, List.of(new Pair("A", "b"))),
				new Content(RecordType.STDOUT, 1, "abc"), new StreamEnd(RecordType.STDOUT, 1),
				new Management(RecordType.GET_VALUES, 9, "xy"), new End(1, 9, 0), new Abort(2));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 2, 255 })
	void aVersionOtherThanOneIsRefused(int version) {
		byte[] bytes = concat(record(RecordType.STDOUT, 1, "fine"),
				record(version, RecordType.STDOUT.code(), 1, latin1("not fine"), 0));
		assertFails(bytes, ProtocolError.UNSUPPORTED_VERSION);
	}

	@Test
	void inputEndingInsideARecordIsTruncated() {
		byte[][] records = { record(RecordType.STDOUT, 1, latin1("hello"), 3),
				RecordEncoder.beginRequest(1, Role.RESPONDER, true), record(RecordType.GET_VALUES, 0, new byte[0], 5) };
		for (byte[] record : records) {
			for (int length = 1; length < record.length; length++) {
				assertFails(concat(RecordEncoder.abortRequest(1), Arrays.copyOf(record, length)), ProtocolError.TRUNCATED);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 7, 9, 16 })
	void beginRequestOfTheWrongLengthIsMalformed(int length) {
		assertFails(record(RecordType.BEGIN_REQUEST, 1, new byte[length], 0), ProtocolError.MALFORMED_RECORD);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 5, 9 })
	void endRequestOfTheWrongLengthIsMalformed(int length) {
		assertFails(record(RecordType.END_REQUEST, 1, new byte[length], 0), ProtocolError.MALFORMED_RECORD);
	}

	@Test
	void recordsHeldWholeMayReachTheControlLimit() {
		DecoderLimits limits = new DecoderLimits(1024, 10, 100, 100, 16);
		byte[] bytes = concat(record(RecordType.GET_VALUES, 0, new byte[16], 0), record(RecordDecoder.VERSION, 99, 0, new byte[16], 0),
				record(RecordType.ABORT_REQUEST, 1, new byte[16], 0));
		assertThat(decode(bytes, limits)).hasSize(3);
	}

	@Test
	void recordsHeldWholeOverTheControlLimitAreRefusedBeforeTheirContentArrives() {
		DecoderLimits limits = new DecoderLimits(1024, 10, 100, 100, 16);
		byte[][] headers = { record(RecordType.GET_VALUES, 0, new byte[17], 0), record(RecordDecoder.VERSION, 99, 0, new byte[17], 0),
				record(RecordType.BEGIN_REQUEST, 1, new byte[17], 0), record(RecordType.ABORT_REQUEST, 1, new byte[17], 0),
				record(RecordType.END_REQUEST, 1, new byte[17], 0) };
		for (byte[] record : headers) {
			assertFails(Arrays.copyOf(record, RecordDecoder.HEADER_LENGTH), limits, ProtocolError.CONTROL_RECORD_TOO_LARGE);
		}
	}

	@Test
	void defaultControlLimitAllowsEightKilobytes() {
		int limit = DecoderLimits.DEFAULTS.maxControlContent();
		assertThat(decode(record(RecordType.GET_VALUES, 0, new byte[limit], 0))).hasSize(1);
		assertFails(record(RecordType.GET_VALUES, 0, new byte[limit + 1], 0), ProtocolError.CONTROL_RECORD_TOO_LARGE);
	}

	@Test
	void aRecordBoundaryIsReportedOnlyBetweenRecords() throws ProtocolException {
		RecordDecoder decoder = new RecordDecoder(DecoderLimits.DEFAULTS, new RecordListener() {
		});
		byte[] bytes = record(RecordType.STDOUT, 1, latin1("x"), 7);
		assertThat(decoder.isAtRecordBoundary()).isTrue();
		for (byte b : bytes) {
			decoder.decode(ByteBuffer.wrap(new byte[] { b }));
		}
		assertThat(decoder.isAtRecordBoundary()).isTrue();
		decoder.decode(ByteBuffer.wrap(bytes, 0, bytes.length - 1));
		assertThat(decoder.isAtRecordBoundary()).isFalse();
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

}
