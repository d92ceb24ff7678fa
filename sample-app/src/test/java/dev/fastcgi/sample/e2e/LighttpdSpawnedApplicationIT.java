package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * lighttpd starting the application itself ({@code bin-path}): it creates the listening socket,
 * hands it over as file descriptor 0, starts {@code max-procs} JVMs, starts a new one when one
 * dies, and sends SIGTERM when it stops.
 */
class LighttpdSpawnedApplicationIT {

	private static final Duration JVM_STARTUP = Duration.ofSeconds(90);

	private static final String LISTENING = "FastCGI server listening on fd:0";

	private static final Pattern SERVED_BY = Pattern.compile("\"processId\":(\\d+)");

	@ParameterizedTest
	@EnumSource(FastCgiTransport.class)
	void startsTwoProcessesEachOnItsOwnSocketAndBothServe(FastCgiTransport transport) throws Exception {
		try (SampleAppScript script = SampleAppScript.create();
				WebServerProcess lighttpd = WebServerProcess.lighttpd(
						FastCgiRoutes.lighttpdBinPath("/", transport.addressIn(script.directory()), script.path(), 2))) {
			await().atMost(JVM_STARTUP).untilAsserted(() -> assertThat(occurrences(script.log(), LISTENING)).isEqualTo(2));
			List<ProcessHandle> jvms = jvmsOf(lighttpd);
			assertThat(jvms).hasSize(2);
			Set<String> listeningSockets = jvms.stream().map(LighttpdSpawnedApplicationIT::descriptorZero).collect(Collectors.toSet());
			assertThat(listeningSockets).hasSize(2).allMatch((socket) -> socket.startsWith("socket:"));
			// lighttpd sends a request to the process with the fewest requests in progress: two
			// at once go to different processes.
			CompletableFuture<HttpResponse<String>> first = E2eHttp.sendAsync(lighttpd.uri("/api/slow?ms=1500"));
			CompletableFuture<HttpResponse<String>> second = E2eHttp.sendAsync(lighttpd.uri("/api/slow?ms=1500"));
			assertThat(first.get().statusCode()).as(lighttpd::diagnostics).isEqualTo(200);
			assertThat(second.get().statusCode()).as(lighttpd::diagnostics).isEqualTo(200);
			assertThat(Set.of(servedBy(first.get()), servedBy(second.get())))
				.isEqualTo(jvms.stream().map(ProcessHandle::pid).collect(Collectors.toSet()));
		}
	}

	@Test
	void startsANewProcessWhenTheApplicationIsKilled() throws Exception {
		try (SampleAppScript script = SampleAppScript.create();
				WebServerProcess lighttpd = WebServerProcess
					.lighttpd(FastCgiRoutes.lighttpdBinPath("/", script.socket(), script.path()))) {
			await().atMost(JVM_STARTUP).untilAsserted(() -> assertThat(script.log()).contains(LISTENING));
			HttpResponse<String> before = E2eHttp.get(lighttpd.uri("/api/slow?ms=0"));
			assertThat(before.statusCode()).as(lighttpd::diagnostics).isEqualTo(200);
			ProcessHandle killed = jvmsOf(lighttpd).get(0);
			assertThat(servedBy(before)).isEqualTo(killed.pid());
			killed.destroyForcibly();
			killed.onExit().join();
			// The request that finds the process gone may get 500 or 503; lighttpd then starts a
			// new one, which answers once its JVM is up.
			await().atMost(JVM_STARTUP).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				HttpResponse<String> after = E2eHttp.get(lighttpd.uri("/api/slow?ms=0"));
				assertThat(after.statusCode()).isEqualTo(200);
				assertThat(servedBy(after)).isNotEqualTo(killed.pid());
			});
			assertThat(jvmsOf(lighttpd)).hasSize(1).noneMatch((jvm) -> jvm.pid() == killed.pid());
		}
	}

	/**
	 * Fails: the JVM exits with 143 a moment after lighttpd's SIGTERM, but its log ends with
	 * "Commencing graceful shutdown of the FastCGI server": neither the completion of the graceful
	 * shutdown nor the rest of the context's shutdown is logged. Reported to the server and boot
	 * packages.
	 */
	@Test
	void stoppingLighttpdShutsTheApplicationDownGracefully() throws Exception {
		ProcessHandle jvm;
		CompletableFuture<HttpResponse<String>> inFlight;
		try (SampleAppScript script = SampleAppScript.create("--server.shutdown=graceful")) {
			try (WebServerProcess lighttpd = WebServerProcess
				.lighttpd(FastCgiRoutes.lighttpdBinPath("/", script.socket(), script.path()))) {
				await().atMost(JVM_STARTUP).untilAsserted(() -> assertThat(script.log()).contains(LISTENING));
				jvm = jvmsOf(lighttpd).get(0);
				inFlight = E2eHttp.sendAsync(lighttpd.uri("/api/slow?ms=1500"));
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(script.log()).contains("Slow request: answering in 1500 ms"));
			}
			jvm.onExit().join();
			String log = script.log();
			assertThat(log).contains("Commencing graceful shutdown of the FastCGI server")
				.contains("Graceful shutdown of the FastCGI server complete");
			assertThat(script.socket()).extracting((socket) -> ((FastCgiAddress.Unix) socket).socket())
				.satisfies((socket) -> assertThat(socket).doesNotExist());
		}
		// lighttpd closes its clients' connections at once on SIGTERM (SIGINT would let them
		// finish): the browser gets no answer to the request, although the application finished it.
		assertThat(inFlight).failsWithin(Duration.ofSeconds(30));
	}

	private static List<ProcessHandle> jvmsOf(WebServerProcess lighttpd) {
		return lighttpd.processes().stream().filter((process) -> process.info().command().orElse("").endsWith("/java")).toList();
	}

	private static String descriptorZero(ProcessHandle process) {
		try {
			return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "fd", "0")).toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long servedBy(HttpResponse<String> response) {
		Matcher matcher = SERVED_BY.matcher(response.body());
		assertThat(matcher.find()).as(response.body()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	private static int occurrences(String text, String part) {
		return text.split(Pattern.quote(part), -1).length - 1;
	}

}
