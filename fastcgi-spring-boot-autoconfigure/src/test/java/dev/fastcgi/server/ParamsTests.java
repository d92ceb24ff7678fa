package dev.fastcgi.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.fastcgi.protocol.RecentStrings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ParamsTests {

	@Test
	void valuesGivenAsBytesReadBackAsIso88591StringsAndTheLastOfANameWins() {
		Params params = new Params();
		addBytes(params, "REQUEST_METHOD", "GET");
		addBytes(params, "HTTP_X_NAME", "caf\u00e9\u00ff");
		params.add("REQUEST_URI", "/given/as/a/string");
		addBytes(params, "HTTP_X_NAME", "second");
		assertThat(params.get("REQUEST_METHOD")).isEqualTo("GET");
		assertThat(params.get("HTTP_X_NAME")).isEqualTo("second");
		assertThat(params.valueAt(1)).isEqualTo("caf\u00e9\u00ff");
		assertThat(params.get("REQUEST_URI")).isEqualTo("/given/as/a/string");
		assertThat(params.get("MISSING")).isNull();
		assertThat(params).hasToString(
				"{REQUEST_METHOD=GET, HTTP_X_NAME=caf\u00e9\u00ff, REQUEST_URI=/given/as/a/string, HTTP_X_NAME=second}");
	}

	@Test
	void aNameLooksUpAlikeWhetherOrNotItIsTheSameString() {
		Params params = new Params();
		addBytes(params, "REQUEST_URI", "/first");
		addBytes(params, new String("REQUEST_URI".toCharArray()), "/second");
		assertThat(params.get("REQUEST_URI")).isEqualTo("/second");
		assertThat(params.lastIndexOf(new String("REQUEST_URI".toCharArray()))).isEqualTo(1);
		assertThat(params.lastIndexOf("HTTPS")).isEqualTo(-1);
	}

	@Test
	void anEmptyValueIsKnownWithoutDecodingAndIsNoNonEmptyValue() {
		Params params = new Params();
		addBytes(params, "CONTENT_TYPE", "");
		addBytes(params, "CONTENT_LENGTH", "0");
		assertThat(params.isEmptyAt(0)).isTrue();
		assertThat(params.isEmptyAt(1)).isFalse();
		assertThat(params.get("CONTENT_TYPE")).isEmpty();
		assertThat(params.getNonEmpty("CONTENT_TYPE")).isNull();
		assertThat(params.getNonEmpty("CONTENT_LENGTH")).isEqualTo("0");
	}

	@Test
	void theCallersArrayMayBeReusedOnceAPairIsAdded() {
		Params params = new Params();
		byte[] buffer = "value".getBytes(StandardCharsets.ISO_8859_1);
		params.add("NAME", buffer, 0, buffer.length);
		Arrays.fill(buffer, (byte) 'x');
		assertThat(params.get("NAME")).isEqualTo("value");
	}

	@Test
	void manyAndLargeParamsGrowPastWhatWasReserved() {
		Params params = new Params();
		params.reserve(8);
		String large = "v".repeat(5000);
		for (int index = 0; index < 100; index++) {
			addBytes(params, "NAME_" + index, (index % 10 == 0) ? large : "value " + index);
		}
		addBytes(params, "NAME_5", "again");
		assertThat(params.size()).isEqualTo(101);
		for (int index = 0; index < 100; index++) {
			assertThat(params.nameAt(index)).isEqualTo("NAME_" + index);
			assertThat(params.valueAt(index)).isEqualTo((index % 10 == 0) ? large : "value " + index);
			assertThat(params.lastIndexOf("NAME_" + index)).isEqualTo((index == 5) ? 100 : index);
		}
		assertThat(params.get("NAME_5")).isEqualTo("again");
		assertThat(params.get("NAME_100")).isNull();
	}

	@Test
	void valuesOfRequestsSharingRecentStringsAreTheSameStrings() {
		RecentStrings recent = new RecentStrings();
		Params first = new Params(recent);
		Params second = new Params(recent);
		addBytes(first, "SERVER_SOFTWARE", "nginx/1.22.1");
		addBytes(second, "SERVER_SOFTWARE", "nginx/1.22.1");
		assertThat(second.get("SERVER_SOFTWARE")).isSameAs(first.get("SERVER_SOFTWARE"));
		assertThat(second.get("SERVER_SOFTWARE")).isSameAs(second.get("SERVER_SOFTWARE"));
	}

	@Test
	void anIndexOutsideTheParamsIsRefused() {
		Params params = new Params();
		addBytes(params, "NAME", "value");
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> params.valueAt(1));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> params.nameAt(-1));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> params.isEmptyAt(1));
	}

	/** Adds from the middle of a larger array, as the decoder does from a read buffer. */
	private static void addBytes(Params params, String name, String value) {
		byte[] bytes = ("<<" + value + ">>").getBytes(StandardCharsets.ISO_8859_1);
		params.add(name, bytes, 2, bytes.length - 4);
	}

}
