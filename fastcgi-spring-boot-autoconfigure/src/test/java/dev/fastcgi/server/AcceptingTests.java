package dev.fastcgi.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Exchange;
import dev.fastcgi.client.FastCgiClient.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accepting connections on platform threads: at low load the acceptor that accepted a connection
 * serves it itself, and the other one goes on accepting meanwhile.
 */
@Timeout(60)
class AcceptingTests {

	private final CountDownLatch slowStarted = new CountDownLatch(1);

	private final CountDownLatch releaseSlow = new CountDownLatch(1);

	private final AtomicReference<String> slowThread = new AtomicReference<>();

	private RunningServer running;

	@AfterEach
	void stop() {
		this.releaseSlow.countDown();
		this.running.close();
	}

	@Test
	void aSlowRequestOnTheAcceptorThatTookItDoesNotStopAccepting() throws Exception {
		this.running = RunningServer.start((exchange) -> {
			if (exchange.params().get("REQUEST_URI").equals("/slow")) {
				this.slowThread.set(Thread.currentThread().getName());
				this.slowStarted.countDown();
				RunningServer.await(this.releaseSlow);
			}
			RunningServer.respond(exchange, exchange.params().get("REQUEST_URI"));
		});
		try (FastCgiClient slowClient = this.running.client()) {
			Exchange slow = slowClient.start(Request.get("/slow"));
			RunningServer.await(this.slowStarted);
			// an idle server: no hand-over to a pool thread
			assertThat(this.slowThread.get()).startsWith("fastcgi-acceptor-");
			for (int i = 0; i < 5; i++) {
				try (FastCgiClient client = this.running.client()) {
					assertThat(client.send(Request.get("/fast" + i)).bodyAsString()).isEqualTo("/fast" + i);
				}
			}
			this.releaseSlow.countDown();
			assertThat(slow.await().bodyAsString()).isEqualTo("/slow");
		}
	}

}
