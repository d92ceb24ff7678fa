package dev.fastcgi.server;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.protocol.ProtocolStatus;
import dev.fastcgi.protocol.RecordType;
import dev.fastcgi.protocol.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role of {@code FCGI_BEGIN_REQUEST}: only the accepted ones reach the handler, an authorizer
 * gets no body, a filter gets DATA after STDIN.
 */
@Timeout(60)
class RoleTests {

	private RunningServer running;

	@AfterEach
	void stop() {
		this.running.close();
	}

	@ParameterizedTest(name = "role code {0}")
	@ValueSource(ints = { 2, 3, 9 })
	void roleNotAcceptedIsAnsweredWithUnknownRole(int roleCode) throws Exception {
		AtomicInteger handled = new AtomicInteger();
		this.running = RunningServer.start(RunningServer.settings().setRoles(EnumSet.of(Role.RESPONDER)),
				(exchange) -> handled.incrementAndGet());
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.beginWithRoleCode(1, roleCode, false),
					RawRecords.params(1, "REQUEST_METHOD", "GET"), RawRecords.end(RecordType.PARAMS, 1),
					RawRecords.end(RecordType.STDIN, 1)));
			RawReply reply = RunningServer.readToEnd(raw);
			assertThat(reply.responses()).singleElement().satisfies((response) -> {
				assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.UNKNOWN_ROLE);
				assertThat(response.stdout()).isEmpty();
			});
			assertThat(reply.ending()).isEqualTo(RawReply.Ending.CLOSED);
		}
		assertThat(handled).hasValue(0);
	}

	@Test
	void authorizerSeesAnEmptyBodyWithoutAnyStdinRecord() throws Exception {
		this.running = RunningServer.start(RunningServer.settings().setRoles(EnumSet.of(Role.AUTHORIZER)),
				(exchange) -> RunningServer.respond(exchange,
						exchange.role() + " read " + exchange.stdin().readAllBytes().length + " bytes"));
		try (FastCgiClient client = this.running.client()) {
			FastCgiClient.Response response = client.send(Request.authorizer("GET", "/private"));
			assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.REQUEST_COMPLETE);
			assertThat(response.bodyAsString()).isEqualTo("AUTHORIZER read 0 bytes");
		}
	}

	@Test
	void filterReadsDataAfterStdin() throws Exception {
		this.running = RunningServer.start(
				RunningServer.settings().setRoles(EnumSet.of(Role.RESPONDER, Role.FILTER)),
				(exchange) -> RunningServer.respond(exchange,
						"stdin=" + new String(exchange.stdin().readAllBytes(), StandardCharsets.UTF_8) + ", data="
								+ new String(exchange.data().readAllBytes(), StandardCharsets.UTF_8)));
		try (FastCgiClient client = this.running.client()) {
			FastCgiClient.Response response = client.send(Request.post("/filter", "text/plain", "the input".getBytes())
				.role(Role.FILTER)
				.data("the file".getBytes()));
			assertThat(response.bodyAsString()).isEqualTo("stdin=the input, data=the file");
		}
	}

}
