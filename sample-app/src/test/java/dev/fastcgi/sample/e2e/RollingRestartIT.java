package dev.fastcgi.sample.e2e;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart under load: two instances of the application behind one nginx
 * {@code upstream}, each stopped with SIGTERM and started again in turn while clients keep
 * sending requests, and not one request fails.
 */
class RollingRestartIT {

	private static final int CLIENTS = 6;

	/** Keeps requests in flight at any moment, so that SIGTERM always finds some to drain. */
	private static final String PATH = "/api/slow?ms=20";

	private static final Pattern PROCESS_ID = Pattern.compile("\"processId\":(\\d+)");

	private static final String[] GRACEFUL = { "--server.shutdown=graceful",
			"--spring.lifecycle.timeout-per-shutdown-phase=20s" };

	/**
	 * What makes the restart lossless on nginx's side:
	 * <ul>
	 * <li>{@code fastcgi_next_upstream error timeout} (nginx's default, spelled out): a request
	 * whose connection is refused, or closed before a response header came, goes to the other
	 * server. nginx does so for idempotent methods only, unless {@code non_idempotent} is added;
	 * a POST that reached a stopping instance is not sent twice.</li>
	 * <li>{@code max_fails=0}: an instance that refused connections is not taken out of the
	 * rotation for {@code fail_timeout} (10 s). With the default {@code max_fails=1} it would
	 * still be out when its peer stops in turn, and nginx, with no server left, answers 502.
	 * Retrying a refused connection costs one failed connect on loopback.</li>
	 * <li>{@code fastcgi_keep_conn on} with {@code keepalive}: kept connections, as in
	 * production. The application closes the idle ones when it stops; a request nginx sends on
	 * one at that moment sees the connection closed and is retried like a refused one.</li>
	 * </ul>
	 * What the application must do is never answer a request with an error while it drains:
	 * nginx retries on a failed connection, not on a bad answer.
	 */
	private static final String UPSTREAM = """
			upstream backends {
				server 127.0.0.1:%d max_fails=0;
				server 127.0.0.1:%d max_fails=0;
				keepalive 8;
			}
			""";

	private static final String LOCATION = """
			location / {
				include /etc/nginx/fastcgi_params;
				fastcgi_pass backends;
				fastcgi_keep_conn on;
				fastcgi_next_upstream error timeout;
			}
			""";

	private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

	private final Map<Long, LongAdder> answeredBy = new ConcurrentHashMap<>();

	private volatile boolean loading = true;

	@Test
	void everyRequestIsAnsweredWhileEachInstanceIsRestartedInTurn() throws Exception {
		List<SampleAppProcess> instances = new ArrayList<>();
		List<Thread> clients = new ArrayList<>();
		try {
			instances.add(SampleAppProcess.startOnLoopbackPort(GRACEFUL));
			instances.add(SampleAppProcess.startOnLoopbackPort(GRACEFUL));
			List<Integer> ports = instances.stream().map((app) -> ((FastCgiAddress.Tcp) app.address()).port()).toList();
			try (WebServerProcess nginx = WebServerProcess.nginx(UPSTREAM.formatted(ports.get(0), ports.get(1)),
					LOCATION)) {
				for (int i = 0; i < CLIENTS; i++) {
					Thread client = new Thread(() -> sendUntilStopped(nginx.uri(PATH)), "client-" + i);
					client.start();
					clients.add(client);
				}
				for (SampleAppProcess instance : instances) {
					awaitAnswersFrom(instance);
				}
				for (int i = 0; i < ports.size(); i++) {
					SampleAppProcess stopping = instances.get(i);
					assertThat(stopping.stop()).as(stopping::log).isEqualTo(143);
					assertThat(stopping.log()).contains("Graceful shutdown of the FastCGI server complete");
					SampleAppProcess restarted = SampleAppProcess
						.start(withGraceful("--fastcgi.socket=tcp:127.0.0.1:" + ports.get(i)));
					instances.add(restarted);
					awaitAnswersFrom(restarted);
				}
				this.loading = false;
				for (Thread client : clients) {
					client.join();
				}
				System.out.println("Rolling restart: outcomes " + this.outcomes + ", answers by process " + this.answeredBy);
				assertThat(this.outcomes.keySet()).as("outcomes %s\n%s", this.outcomes, nginx.diagnostics())
					.containsExactly("200");
			}
		}
		finally {
			this.loading = false;
			for (SampleAppProcess instance : instances) {
				instance.close();
			}
		}
	}

	private static String[] withGraceful(String socket) {
		return new String[] { socket, GRACEFUL[0], GRACEFUL[1] };
	}

	private void sendUntilStopped(URI uri) {
		while (this.loading) {
			String outcome;
			try {
				HttpResponse<String> response = E2eHttp.get(uri);
				outcome = Integer.toString(response.statusCode());
				Matcher processId = PROCESS_ID.matcher(response.body());
				if (processId.find()) {
					this.answeredBy.computeIfAbsent(Long.parseLong(processId.group(1)), (pid) -> new LongAdder())
						.increment();
				}
			}
			catch (Exception ex) {
				outcome = ex.toString();
			}
			this.outcomes.computeIfAbsent(outcome, (key) -> new LongAdder()).increment();
		}
	}

	/** Waits until nginx sends the instance its share of the load, as a rolling restart would. */
	private void awaitAnswersFrom(SampleAppProcess instance) {
		long pid = instance.processHandle().pid();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.answeredBy.getOrDefault(pid, new LongAdder()).sum() >= 100);
	}

}
