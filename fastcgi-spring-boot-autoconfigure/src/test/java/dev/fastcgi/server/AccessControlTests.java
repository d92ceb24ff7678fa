package dev.fastcgi.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.client.FastCgiClient.RawReply;
import dev.fastcgi.client.FastCgiClient.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections refused when accepted: TCP peers by address, UNIX socket peers by the user and
 * group they run as.
 */
@Timeout(60)
class AccessControlTests {

	@TempDir
	Path directory;

	private RunningServer running;

	@AfterEach
	void stop() {
		this.running.close();
	}

	@Test
	void aTcpPeerOutsideTheAllowedClientsIsClosedAtOnceAndCounted() throws Exception {
		this.running = start(RunningServer.settings().setAllowedClients(AllowedClients.parse(List.of("10.0.0.0/8"))));
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, false, ""));
			RawReply reply = RunningServer.readUntil(raw, (received) -> received.ending() != RawReply.Ending.QUIET);
			assertThat(reply.responses()).isEmpty();
		}
		assertThat(this.running.clientRejections()).containsExactly(ClientRejection.ADDRESS);
		assertThat(this.running.server().getConnectionCount()).isZero();
	}

	@Test
	void anAllowedTcpPeerIsServed() throws Exception {
		this.running = start(
				RunningServer.settings().setAllowedClients(AllowedClients.parse(List.of("10.0.0.0/8", "127.0.0.1"))));
		try (FastCgiClient client = this.running.client()) {
			assertThat(client.send(Request.get("/")).bodyAsString()).isEqualTo("served");
		}
		assertThat(this.running.clientRejections()).isEmpty();
	}

	@Test
	void unixSocketPeersPassTheAddressCheck() throws Exception {
		this.running = start(unixSettings().setAllowedClients(AllowedClients.parse(List.of("10.0.0.0/8"))));
		try (FastCgiClient client = this.running.client()) {
			assertThat(client.send(Request.get("/")).bodyAsString()).isEqualTo("served");
		}
	}

	@Test
	void aUnixSocketPeerRunningAsAnAllowedUserIsServed() throws Exception {
		String user = Files.getOwner(this.directory).getName();
		this.running = start(unixSettings().setAllowedPeerUsers(Set.of("somebody-else", user)));
		try (FastCgiClient client = this.running.client()) {
			assertThat(client.send(Request.get("/")).bodyAsString()).isEqualTo("served");
		}
	}

	@Test
	void aUnixSocketPeerOfAnotherUserAndGroupIsClosedAtOnce() throws Exception {
		this.running = start(
				unixSettings().setAllowedPeerUsers(Set.of("somebody-else")).setAllowedPeerGroups(Set.of("no-such-group")));
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, false, ""));
			RawReply reply = RunningServer.readUntil(raw, (received) -> received.ending() != RawReply.Ending.QUIET);
			assertThat(reply.responses()).isEmpty();
		}
		assertThat(this.running.clientRejections()).containsExactly(ClientRejection.PEER_CREDENTIALS);
	}

	private ServerSettings unixSettings() {
		return new ServerSettings().setAddress(new ListenAddress.UnixSocket(this.directory.resolve("app.sock")));
	}

	private static RunningServer start(ServerSettings settings) throws Exception {
		return RunningServer.start(settings, (exchange) -> RunningServer.respond(exchange, "served"));
	}

}
