package dev.fastcgi.server;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AllowedClientsTests {

	private final AllowedClients clients = AllowedClients
		.parse(List.of("127.0.0.1", "10.1.0.0/16", "192.168.7.128/25", "::1", "fd00::/8", "::ffff:172.16.0.0/108"));

	@ParameterizedTest
	@CsvSource({ "127.0.0.1, true", "127.0.0.2, false", "10.1.255.3, true", "10.2.0.1, false",
			"192.168.7.200, true", "192.168.7.127, false", "::1, true", "::2, false", "fd12:3456::1, true",
			"fe80::1, false", "::ffff:127.0.0.1, true", "::ffff:10.1.2.3, true", "172.16.9.9, true",
			"172.32.0.1, false" })
	void matchesAddressesAndBlocksOfEitherFamily(String address, boolean allowed) throws Exception {
		assertThat(this.clients.allows(InetAddress.getByName(address))).isEqualTo(allowed);
	}

	@Test
	void webServerAddrsIsCommaSeparatedAndUnsetAllowsAnyone() throws Exception {
		AllowedClients fromEnvironment = AllowedClients.fromWebServerAddrs("127.0.0.1, 10.0.0.5");
		assertThat(fromEnvironment.allows(InetAddress.getByName("10.0.0.5"))).isTrue();
		assertThat(fromEnvironment.allows(InetAddress.getByName("10.0.0.6"))).isFalse();
		assertThat(AllowedClients.fromWebServerAddrs(null).isRestricted()).isFalse();
		assertThat(AllowedClients.fromWebServerAddrs("").isRestricted()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "example.com", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "1.2.3", "10.0.0.1/-1" })
	void refusesHostNamesAndBadPrefixes(String entry) {
		assertThatIllegalArgumentException().isThrownBy(() -> AllowedClients.parse(List.of(entry)))
			.withMessageContaining(entry);
	}

}
