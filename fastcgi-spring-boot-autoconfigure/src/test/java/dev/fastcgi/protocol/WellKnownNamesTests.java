package dev.fastcgi.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WellKnownNamesTests {

	@Test
	void everyNameIsFoundAsItsSharedStringWhereverItLiesInTheArray() {
		for (String name : WellKnownNames.NAMES) {
			for (int offset : new int[] { 0, 1, 7 }) {
				byte[] bytes = placed(name, offset);
				assertThat(WellKnownNames.find(bytes, offset, name.length())).as("%s at %d", name, offset).isSameAs(name);
			}
		}
	}

	@Test
	void namesDifferingInAnyOneByteOrInLengthAreNotFound() {
		for (String name : WellKnownNames.NAMES) {
			byte[] bytes = placed(name, 3);
			for (int index = 0; index < name.length(); index++) {
				byte[] altered = bytes.clone();
				altered[3 + index]++;
				assertThat(WellKnownNames.find(altered, 3, name.length())).as("%s altered at %d", name, index).isNull();
			}
			assertThat(WellKnownNames.find(bytes, 3, name.length() - 1)).as("%s shortened", name).isNull();
			assertThat(WellKnownNames.find(placed(name + "S", 3), 3, name.length() + 1)).as("%s lengthened", name).isNull();
		}
		assertThat(WellKnownNames.find(new byte[0], 0, 0)).isNull();
	}

	/** The name's bytes at the offset, among bytes that differ from it. */
	private static byte[] placed(String name, int offset) {
		byte[] bytes = new byte[offset + name.length() + 5];
		Arrays.fill(bytes, (byte) '#');
		System.arraycopy(name.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, offset, name.length());
		return bytes;
	}

}
