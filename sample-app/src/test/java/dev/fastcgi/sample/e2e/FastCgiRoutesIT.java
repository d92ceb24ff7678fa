package dev.fastcgi.sample.e2e;

import java.net.http.HttpResponse;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves each route fragment is accepted by its server and points where it says, before any
 * FastCGI application exists: a request under the prefix must fail as "backend unavailable",
 * with the backend's address in the error log, while the rest of the site is still served.
 */
class FastCgiRoutesIT {

	static Stream<Arguments> serversAndAddresses() {
		return Stream.of(WebServerKind.values())
			.flatMap((kind) -> Stream.of(Arguments.of(kind, "unix"), Arguments.of(kind, "tcp")));
	}

	@ParameterizedTest(name = "{0} over {1}")
	@MethodSource("serversAndAddresses")
	void routesPrefixToTheGivenAddress(WebServerKind kind, String family) throws Exception {
		try (ScratchDirectory nobodyListens = ScratchDirectory.create("e2e-no-backend")) {
			FastCgiAddress address = family.equals("unix") ? FastCgiAddress.unix(nobodyListens.resolve("app.sock"))
					: FastCgiAddress.loopback(LoopbackPorts.free());
			String addressInLog = (address instanceof FastCgiAddress.Unix unix) ? unix.socket().toString()
					: ":" + ((FastCgiAddress.Tcp) address).port();
			try (WebServerProcess server = kind.startForwarding("/app/", address)) {
				HttpResponse<String> routed = E2eHttp.get(server.uri("/app/greeting"));
				assertThat(routed.statusCode()).as(server::diagnostics).isIn(502, 503);
				assertThat(server.errorLog()).contains(addressInLog);
				HttpResponse<String> notRouted = E2eHttp.get(server.uri("/elsewhere"));
				assertThat(notRouted.statusCode()).as(server::diagnostics).isEqualTo(404);
			}
		}
	}

}
