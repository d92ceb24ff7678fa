package dev.fastcgi.sample.e2e;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM, as systemd or lighttpd sends it, to an application behind nginx with requests in
 * flight: they are answered, while new connections are refused from the moment the signal
 * arrives.
 */
class GracefulShutdownIT {

	private static final int REQUESTS_IN_FLIGHT = 3;

	/** Long enough that the drain is still under way when the test sends its new request. */
	private static final int SLOW_MILLIS = 5000;

	@Test
	void sigtermAnswersTheRequestsInFlightRefusesNewOnesAndExitsOnceDrained() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.startOnUnixSocket("--server.shutdown=graceful",
				"--spring.lifecycle.timeout-per-shutdown-phase=20s");
				WebServerProcess nginx = WebServerProcess.nginx(FastCgiRoutes.nginxFastCgiPass("/", app.address()))) {
			Path socket = ((FastCgiAddress.Unix) app.address()).socket();
			List<CompletableFuture<HttpResponse<String>>> inFlight = IntStream.range(0, REQUESTS_IN_FLIGHT)
				.mapToObj((i) -> E2eHttp.sendAsync(nginx.uri("/api/slow?ms=" + SLOW_MILLIS)))
				.toList();
			String started = "Slow request: answering in " + SLOW_MILLIS + " ms";
			await().atMost(Duration.ofSeconds(30))
				.until(() -> app.log().split(started, -1).length - 1 == REQUESTS_IN_FLIGHT);
			CompletableFuture<Integer> exitStatus = CompletableFuture.supplyAsync(app::stop);
			await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(socket));

			HttpResponse<String> refused = E2eHttp.get(nginx.uri("/api/slow?ms=1"));

			assertThat(inFlight).as("the requests in flight are still running").noneMatch(CompletableFuture::isDone);
			assertThat(refused.statusCode()).as(nginx::diagnostics).isEqualTo(502);
			assertThat(nginx.errorLog()).contains("connect() to unix:" + socket + " failed (2: No such file or directory)");
			for (CompletableFuture<HttpResponse<String>> request : inFlight) {
				HttpResponse<String> response = request.get();
				assertThat(response.statusCode()).as(nginx::diagnostics).isEqualTo(200);
				assertThat(response.body()).isEqualTo(
						"{\"sleptMillis\":%d,\"processId\":%d}".formatted(SLOW_MILLIS, app.processHandle().pid()));
			}
			assertThat(exitStatus.get()).as(app::log).isEqualTo(143);
			assertThat(app.log()).contains("Graceful shutdown of the FastCGI server complete")
				.doesNotContain("Slow request: answering in 1 ms");
		}
	}

}
