package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Programs other than lighttpd that create the listening socket and start the application with
 * it, behind nginx: spawn-fcgi ({@code fastcgi.socket=fd:0}) and systemd socket activation
 * ({@code fastcgi.socket=systemd}, a UNIX {@code ListenStream}), here through
 * {@code systemd-socket-activate}, which passes sockets the way systemd does. Both {@code exec}
 * the application, so the process they run as is the JVM, and its exit status is the JVM's.
 */
class SocketActivationIT {

	/** SIGTERM: 128 + 15, how a JVM reports a shutdown on SIGTERM after its shutdown hooks ran. */
	private static final int EXIT_STATUS_AFTER_SIGTERM = 143;

	private static final Duration JVM_STARTUP = Duration.ofSeconds(90);

	@Test
	void spawnFcgiStartsTheApplicationOnASocketNginxWorkersMayUse() throws Exception {
		try (SampleAppScript script = SampleAppScript.create()) {
			Path socket = script.directory().resolve("app.sock");
			// As deploy/spawn-fcgi.sh, with this machine's worker user: nobody in group nogroup.
			Process spawnFcgi = start(script, List.of(Executables.require("spawn-fcgi").toString(), "-n", "-s",
					socket.toString(), "-M", "0660", "-U", "nobody", "-G", "nogroup", "--", script.path().toString()));
			try (WebServerProcess nginx = WebServerKind.NGINX.startForwarding("/", FastCgiAddress.unix(socket))) {
				await().atMost(JVM_STARTUP).untilAsserted(() -> assertThat(script.log()).contains("FastCGI server listening on fd:0"));
				HttpResponse<String> response = E2eHttp.get(nginx.uri("/api/greeting?name=spawn-fcgi"));
				assertThat(response.statusCode()).as(nginx::diagnostics).isEqualTo(200);
				assertThat(response.body()).isEqualTo("{\"greeting\":\"Hello, spawn-fcgi!\"}");
			}
			finally {
				assertThat(stop(spawnFcgi)).as(script::log).isEqualTo(EXIT_STATUS_AFTER_SIGTERM);
			}
		}
	}

	@Test
	void systemdSocketActivationStartsTheApplicationOnTheFirstConnection() throws Exception {
		try (SampleAppScript script = SampleAppScript.createWithSocket("systemd")) {
			Path socket = script.directory().resolve("app.sock");
			Process activator = start(script, List.of(Executables.require("systemd-socket-activate").toString(), "-l",
					socket.toString(), script.path().toString()));
			try (WebServerProcess nginx = WebServerKind.NGINX.startForwarding("/", FastCgiAddress.unix(socket))) {
				await().atMost(Duration.ofSeconds(10)).until(() -> socket.toFile().exists());
				// What the socket unit's SocketMode=0666 does: systemd-socket-activate has no option
				// for the mode, and nginx workers run as nobody.
				Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
				assertThat(script.log()).as("started before the first connection").doesNotContain("Starting SampleApplication");
				HttpResponse<String> first = E2eHttp.send(E2eHttp.request(nginx.uri("/api/greeting?name=systemd"))
					.timeout(JVM_STARTUP)
					.GET()
					.build());
				assertThat(first.statusCode()).as(nginx::diagnostics).isEqualTo(200);
				assertThat(first.body()).isEqualTo("{\"greeting\":\"Hello, systemd!\"}");
				assertThat(script.log()).contains("FastCGI server listening on systemd");
				assertThat(E2eHttp.get(nginx.uri("/api/greeting")).statusCode()).isEqualTo(200);
			}
			finally {
				assertThat(stop(activator)).as(script::log).isEqualTo(EXIT_STATUS_AFTER_SIGTERM);
			}
		}
	}

	private static Process start(SampleAppScript script, List<String> command) throws IOException {
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(script.directory().resolve("spawner.log").toFile())
			.start();
	}

	/** Sends SIGTERM, as a supervisor stopping the service would, and returns the exit status. */
	private static int stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(40, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
		}
		return process.exitValue();
	}

}
