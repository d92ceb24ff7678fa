package dev.fastcgi.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.fastcgi.protocol.DecodedEvent.Abort;
import dev.fastcgi.protocol.DecodedEvent.Begin;
import dev.fastcgi.protocol.DecodedEvent.Content;
import dev.fastcgi.protocol.DecodedEvent.End;
import dev.fastcgi.protocol.DecodedEvent.Management;
import dev.fastcgi.protocol.DecodedEvent.StreamEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.fastcgi.protocol.SplitDecoding.decode;
import static dev.fastcgi.protocol.Wire.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RecordEncoder} and {@link NameValueEncoder}: the record layout they write, and that
 * {@link RecordDecoder} reads back what they wrote.
 */
class EncoderTests {

	@ParameterizedTest
	@ValueSource(ints = { 1, 7, 8, 9, 65535, 65536, 131071 })
	void contentIsSplitIntoPaddedRecordsOfAtMost65535Bytes(int length) {
		byte[] content = new byte[length];
		Arrays.fill(content, (byte) 'x');
		ByteBuffer records = ByteBuffer.wrap(RecordEncoder.records(RecordType.STDOUT, 3, content));
		int recordCount = 0;
		int contentTotal = 0;
		while (records.hasRemaining()) {
			int start = records.position();
			assertThat(records.get()).isEqualTo((byte) RecordDecoder.VERSION);
			assertThat(records.get()).isEqualTo((byte) RecordType.STDOUT.code());
			assertThat(records.getShort()).isEqualTo((short) 3);
			int contentLength = records.getShort() & 0xFFFF;
			int paddingLength = records.get() & 0xFF;
			assertThat(records.get()).as("reserved").isZero();
			assertThat(contentLength).isBetween(1, RecordEncoder.MAX_CONTENT_LENGTH);
			assertThat(paddingLength).isLessThan(8);
			records.position(records.position() + contentLength + paddingLength);
			assertThat(records.position() - start).as("record length").isEqualTo(
					RecordDecoder.HEADER_LENGTH + contentLength + RecordEncoder.paddingFor(contentLength));
			assertThat((records.position() - start) % 8).isZero();
			recordCount++;
			contentTotal += contentLength;
		}
		assertThat(contentTotal).isEqualTo(length);
		assertThat(recordCount).isEqualTo((length + 65534) / 65535);
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 65536 })
	void recordsRoundTripThroughTheDecoder(int length) {
		String text = "y".repeat(length);
		byte[] bytes = concat(RecordEncoder.records(RecordType.STDERR, 2, Wire.latin1(text)),
				RecordEncoder.streamEnd(RecordType.STDERR, 2));
		assertThat(decode(bytes)).containsExactly(new Content(RecordType.STDERR, 2, text), new StreamEnd(RecordType.STDERR, 2));
	}

	@Test
	void aSliceOfContentIsEncodedFromItsOffset() {
		byte[] bytes = RecordEncoder.records(RecordType.DATA, 1, Wire.latin1("..abc.."), 2, 3);
		assertThat(decode(bytes)).containsExactly(new Content(RecordType.DATA, 1, "abc"));
	}

	@Test
	void emptyContentGivesNoRecordAndStreamEndGivesTheEmptyOne() {
		assertThat(RecordEncoder.records(RecordType.STDOUT, 1, new byte[0])).isEmpty();
		assertThat(RecordEncoder.streamEnd(RecordType.STDOUT, 1)).containsExactly(1, 6, 0, 1, 0, 0, 0, 0);
	}

	@Test
	void paddingBringsContentToAMultipleOfEight() {
		int[] expected = { 0, 7, 6, 5, 4, 3, 2, 1, 0, 7 };
		for (int length = 0; length < expected.length; length++) {
			assertThat(RecordEncoder.paddingFor(length)).as("padding for %d", length).isEqualTo(expected[length]);
		}
		assertThat(RecordEncoder.paddingFor(65535)).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, 65536 })
	void aHeaderRefusesContentLengthsOutsideSixteenBits(int contentLength) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RecordEncoder.writeHeader(ByteBuffer.wrap(new byte[8]), 0, RecordType.STDOUT, 1, contentLength));
	}

	@ParameterizedTest
	@EnumSource(Role.class)
	void beginRequestRoundTrips(Role role) {
		byte[] bytes = concat(RecordEncoder.beginRequest(1, role, false), RecordEncoder.beginRequest(65535, role, true));
		assertThat(bytes).hasSize(32);
		assertThat(decode(bytes)).containsExactly(new Begin(1, role.code(), false), new Begin(65535, role.code(), true));
	}

	@Test
	void abortRequestIsAnEmptyRecord() {
		byte[] bytes = RecordEncoder.abortRequest(258);
		assertThat(bytes).containsExactly(1, 2, 1, 2, 0, 0, 0, 0);
		assertThat(decode(bytes)).containsExactly(new Abort(258));
	}

	@ParameterizedTest
	@EnumSource(ProtocolStatus.class)
	void endRequestRoundTrips(ProtocolStatus status) {
		byte[] bytes = RecordEncoder.endRequest(9, 0xFFFFFFFFL, status);
		assertThat(bytes).containsExactly(1, 3, 0, 9, 0, 8, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, status.code(), 0, 0, 0);
		assertThat(decode(concat(bytes, RecordEncoder.endRequest(9, 1, status)))).containsExactly(
				new End(9, 0xFFFFFFFFL, status.code()), new End(9, 1, status.code()));
	}

	@Test
	void unknownTypeCarriesTheTypeCodeWithRequestIdZero() {
		byte[] bytes = RecordEncoder.unknownType(200);
		assertThat(bytes).containsExactly(1, 11, 0, 0, 0, 8, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0);
		assertThat(decode(bytes)).containsExactly(new Management(RecordType.UNKNOWN_TYPE, 11, "\u00c8\0\0\0\0\0\0\0"));
	}

	@Test
	void nameValueLengthsTakeOneByteBelow128AndFourFrom128() {
		assertThat(new NameValueEncoder().add("", "").toByteArray()).containsExactly(0, 0);
		assertThat(Arrays.copyOf(new NameValueEncoder().add("a".repeat(127), "").toByteArray(), 2)).containsExactly(127, 0);
		assertThat(Arrays.copyOf(new NameValueEncoder().add("a".repeat(128), "").toByteArray(), 5))
			.containsExactly(0x80, 0, 0, 128, 0);
		assertThat(Arrays.copyOf(new NameValueEncoder().add("", "b".repeat(65536)).toByteArray(), 5))
			.containsExactly(0, 0x80, 1, 0, 0);
	}

	@Test
	void nameValuePairsKeepTheirOrderAndDuplicates() {
		byte[] content = new NameValueEncoder().add("A", "1").add("B", "\u00ff\u0000").add("A", "2").toByteArray();
		assertThat(content).containsExactly(1, 1, 'A', '1', 1, 2, 'B', 0xFF, 0, 1, 1, 'A', '2');
	}

}
