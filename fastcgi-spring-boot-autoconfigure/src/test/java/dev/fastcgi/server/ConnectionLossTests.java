package dev.fastcgi.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.fastcgi.client.FastCgiClient.RawConnection;
import dev.fastcgi.protocol.RecordType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web server closing the connection in the middle of a request (its client went away):
 * the request's work is cancelled and everything it held is freed.
 */
@Timeout(60)
class ConnectionLossTests {

	private final CountDownLatch started = new CountDownLatch(1);

	private RunningServer running;

	@AfterEach
	void stop() {
		this.running.close();
	}

	@Test
	void closingMidRequestAbortsItFailsItsWritesAndFreesItsSlotAndConnection() throws Exception {
		CountDownLatch aborted = new CountDownLatch(1);
		CompletableFuture<Throwable> writeFailure = new CompletableFuture<>();
		this.running = RunningServer.start((exchange) -> {
			exchange.onAbort(aborted::countDown);
			this.started.countDown();
			RunningServer.await(aborted);
			try {
				RunningServer.respond(exchange, "nobody reads this");
				exchange.stdout().flush();
				writeFailure.complete(null);
			}
			catch (IOException ex) {
				writeFailure.complete(ex);
			}
		});
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.request(1, false, ""));
			RunningServer.await(this.started);
		}
		assertThat(writeFailure.get(RunningServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
			.isInstanceOf(RequestAbortedException.class);
		this.running.awaitConnectionsClosed(1);
		assertThat(this.running.server().getActiveRequests()).isZero();
		assertThat(this.running.server().getConnectionCount()).isZero();
		assertThat(this.running.aborts()).containsExactly(AbortCause.CONNECTION_LOST);
	}

	@Test
	void closingInsideABodyRecordFailsTheHandlersReadAsAnAbortNotAProtocolError() throws Exception {
		CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
		this.running = RunningServer.start((exchange) -> {
			this.started.countDown();
			try {
				exchange.stdin().readAllBytes();
				readFailure.complete(null);
			}
			catch (IOException ex) {
				readFailure.complete(ex);
			}
		});
		byte[] record = RawRecords.stdin(1, "x".repeat(1000));
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, true), RawRecords.params(1, "REQUEST_METHOD", "POST"),
					RawRecords.end(RecordType.PARAMS, 1), Arrays.copyOf(record, 500)));
			RunningServer.await(this.started);
		}
		assertThat(readFailure.get(RunningServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
			.isInstanceOf(RequestAbortedException.class);
		this.running.awaitConnectionsClosed(1);
		assertThat(this.running.protocolErrors()).isEmpty();
		assertThat(this.running.aborts()).containsExactly(AbortCause.CONNECTION_LOST);
	}

	@Test
	void closingMidResponseFailsTheHandlersNextWrite() throws Exception {
		CompletableFuture<Throwable> writeFailure = new CompletableFuture<>();
		CountDownLatch closed = new CountDownLatch(1);
		this.running = RunningServer.start((exchange) -> {
			RunningServer.respond(exchange, "first part");
			exchange.stdout().flush();
			this.started.countDown();
			RunningServer.await(closed);
			try {
				// the close may take a few writes to notice: the first can still land in the socket buffer
				byte[] chunk = new byte[64 * 1024];
				for (int i = 0; i < 1000; i++) {
					exchange.stdout().write(chunk);
				}
				writeFailure.complete(null);
			}
			catch (IOException ex) {
				writeFailure.complete(ex);
			}
		});
		try (RawConnection raw = this.running.raw()) {
			raw.write(RawRecords.concat(RawRecords.begin(1, false), RawRecords.end(RecordType.PARAMS, 1),
					RawRecords.end(RecordType.STDIN, 1)));
			RunningServer.await(this.started);
		}
		closed.countDown();
		assertThat(writeFailure.get(RunningServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
			.isInstanceOf(RequestAbortedException.class);
		this.running.awaitConnectionsClosed(1);
		assertThat(this.running.server().getActiveRequests()).isZero();
	}

}
