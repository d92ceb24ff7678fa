package dev.fastcgi.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.fastcgi.protocol.Wire.pairs;
import static org.assertj.core.api.Assertions.assertThat;

class RecentStringsTests {

	private final RecentStrings recent = new RecentStrings();

	@Test
	void aValueSentAgainIsTheStringMadeTheFirstTime() {
		String first = decode("nginx/1.22.1");
		String again = decode("nginx/1.22.1");
		assertThat(again).isEqualTo("nginx/1.22.1").isSameAs(first);
	}

	@Test
	void everyByteDecodesAsOneIso88591Char() {
		byte[] bytes = { 'a', (byte) 0xE9, (byte) 0xFF, 0 };
		assertThat(this.recent.decode(bytes, 0, bytes.length)).isEqualTo("a\u00e9\u00ff\u0000");
		assertThat(this.recent.decode(bytes, 1, 2)).isEqualTo("\u00e9\u00ff");
	}

	@Test
	void differentValuesNeverAnswerForEachOther() {
		List<String> values = new ArrayList<>();
		for (int index = 0; index < 5000; index++) {
			values.add("/item/" + index);
		}
		for (int round = 0; round < 2; round++) {
			for (String value : values) {
				assertThat(decode(value)).isEqualTo(value);
			}
		}
		// same length, same hash slot candidates: a char differing anywhere makes a new string
		assertThat(decode("Aa")).isEqualTo("Aa");
		assertThat(decode("BB")).isEqualTo("BB");
		assertThat(decode("Aa")).isEqualTo("Aa");
	}

	@Test
	void valuesLongerThanTheLongestCachedAreNewEachTime() {
		String cookie = "c".repeat(RecentStrings.LONGEST + 1);
		assertThat(decode(cookie)).isEqualTo(cookie).isNotSameAs(decode(cookie));
	}

	@Test
	void aDecoderGivenRecentStringsSharesNamesAcrossRequests() throws ProtocolException {
		byte[] params = pairs("SERVER_SOFTWARE", "nginx/1.22.1", "HTTP_X_CUSTOM", "same");
		List<String> first = decodeNames(params);
		List<String> second = decodeNames(params);
		assertThat(second).containsExactly("SERVER_SOFTWARE", "HTTP_X_CUSTOM");
		for (int index = 0; index < first.size(); index++) {
			assertThat(second.get(index)).isSameAs(first.get(index));
		}
	}

	private List<String> decodeNames(byte[] params) throws ProtocolException {
		List<String> names = new ArrayList<>();
		NameValueDecoder decoder = new NameValueDecoder(DecoderLimits.DEFAULTS, this.recent);
		decoder.decodeRaw(ByteBuffer.wrap(params), (name, value, offset, length) -> names.add(name));
		decoder.finish();
		return names;
	}

	private String decode(String text) {
		byte[] bytes = ("xx" + text).getBytes(StandardCharsets.ISO_8859_1);
		return this.recent.decode(bytes, 2, bytes.length - 2);
	}

}
