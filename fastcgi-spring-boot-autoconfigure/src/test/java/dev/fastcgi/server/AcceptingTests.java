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
import static org.assertj.core.api.Assertions.fail;

/**
 * Accepting connections on platform threads: at low load the acceptor that accepted a connection
 * serves it itself, and the other one goes on accepting meanwhile: at once if the turn to accept
 * was passed to it, or after taking the turn over if the acceptor serving had kept it.
 */
@Timeout(60)
class AcceptingTests {

	private volatile CountDownLatch slowStarted;

	private volatile CountDownLatch releaseSlow = new CountDownLatch(0);

	private final AtomicReference<String> slowThread = new AtomicReference<>();

	private RunningServer running;

	@AfterEach
	void stop() {
		this.releaseSlow.countDown();
		this.running.close();
	}

	@Test
	void aSlowRequestOnTheAcceptorThatTookItDoesNotStopAccepting() throws Exception {
		slowRequestOnAnAcceptorWithFastOnesMeanwhile(0);
	}

	@Test
	void aSlowRequestAmongConnectionsComingOneAtATimeDoesNotStopAccepting() throws Exception {
		// the acceptor serving keeps the turn when a connection comes alone while the other watches
		slowRequestOnAnAcceptorWithFastOnesMeanwhile(20);
	}

	private void slowRequestOnAnAcceptorWithFastOnesMeanwhile(int connectionsBefore) throws Exception {
		this.running = RunningServer.start((exchange) -> {
			if (exchange.params().get("REQUEST_URI").equals("/slow")) {
				this.slowThread.set(Thread.currentThread().getName());
				this.slowStarted.countDown();
				RunningServer.await(this.releaseSlow);
			}
			RunningServer.respond(exchange, exchange.params().get("REQUEST_URI"));
		});
		// an idle server serves on the acceptor, once the other one waits in accept (not yet, just
		// after the start)
		for (int attempt = 0; attempt < 50; attempt++) {
			this.slowStarted = new CountDownLatch(1);
			this.releaseSlow = new CountDownLatch(1);
			for (int i = 0; i < connectionsBefore; i++) {
				sendFast("/before" + i);
			}
			try (FastCgiClient slowClient = this.running.client()) {
				Exchange slow = slowClient.start(Request.get("/slow"));
				RunningServer.await(this.slowStarted);
				boolean onAnAcceptor = this.slowThread.get().startsWith("fastcgi-acceptor-");
				if (onAnAcceptor) {
					for (int i = 0; i < 5; i++) {
						sendFast("/fast" + i);
					}
				}
				this.releaseSlow.countDown();
				assertThat(slow.await().bodyAsString()).isEqualTo("/slow");
				if (onAnAcceptor) {
					return;
				}
			}
		}
		fail("No request of an idle server ran on the acceptor that accepted its connection");
	}

	private void sendFast(String path) throws Exception {
		try (FastCgiClient client = this.running.client()) {
			assertThat(client.send(Request.get(path)).bodyAsString()).isEqualTo(path);
		}
	}

}
