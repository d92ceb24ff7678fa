package dev.fastcgi.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The acceptors' turn, with threads standing in for the acceptors: kept by a holder that serves a
 * connection which came alone while another acceptor watches, taken over from a holder that serves
 * long, passed on otherwise.
 */
@Timeout(30)
class AcceptTurnTests {

	/** Long enough that the test thread keeps the turn before the watcher first looks in. */
	private final AcceptTurn turn = new AcceptTurn(Duration.ofMillis(500));

	private final Object connection = new Object();

	@Test
	void withNoOtherAcceptorTheHolderPassesTheTurnToServe() throws Exception {
		this.turn.take();
		assertThat(this.turn.keepWhileServing(this.connection, true)).isFalse();
		assertThat(takenWithin(1)).isTrue();
	}

	@Test
	void aConnectionQueuedBehindAnotherIsServedWithTheTurnPassedOn() throws Exception {
		CompletableFuture<Void> waiter = holdingWithAnotherWaiting();
		assertThat(this.turn.keepWhileServing(this.connection, false)).isFalse();
		waiter.get(10, TimeUnit.SECONDS);
	}

	@Test
	void aHolderServingLongHasItsTurnTakenOverByTheWatcher() throws Exception {
		CompletableFuture<Void> waiter = holdingWithAnotherWaiting();
		assertThat(this.turn.keepWhileServing(this.connection, true)).isTrue();
		waiter.get(10, TimeUnit.SECONDS);
		assertThat(this.turn.keptAfterServing(this.connection)).isFalse();
		CompletableFuture<Void> next = waiterTaking();
		assertThatExceptionOfType(TimeoutException.class).as("the turn is one, now the watcher's")
			.isThrownBy(() -> next.get(2, TimeUnit.SECONDS));
		this.turn.pass();
		next.get(10, TimeUnit.SECONDS);
	}

	@Test
	void aHolderDoneSoonStillHasTheTurnAndTheWatcherStillWaits() throws Exception {
		CompletableFuture<Void> waiter = holdingWithAnotherWaiting();
		assertThat(this.turn.keepWhileServing(this.connection, true)).isTrue();
		assertThat(this.turn.keptAfterServing(this.connection)).isTrue();
		assertThat(waiter).isNotDone();
		this.turn.pass();
		waiter.get(10, TimeUnit.SECONDS);
	}

	@Test
	void aWatcherThatFindsNoTurnKeptStopsWatchingAndTheHolderThenPassesIt() throws Exception {
		CompletableFuture<Void> waiter = holdingWithAnotherWaiting();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.turn.keepWhileServing(this.connection, true)) {
			assertThat(this.turn.keptAfterServing(this.connection)).isTrue();
			assertThat(System.nanoTime()).as("the watcher stopped watching").isLessThan(deadline);
			Thread.sleep(5);
		}
		waiter.get(10, TimeUnit.SECONDS);
	}

	private CompletableFuture<Void> waiterTaking() {
		return CompletableFuture.runAsync(() -> {
			try {
				this.turn.take();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		}, (task) -> new Thread(task, "waiter").start());
	}

	/** The test thread takes the turn, then another thread waits for it. */
	private CompletableFuture<Void> holdingWithAnotherWaiting() throws InterruptedException {
		this.turn.take();
		CompletableFuture<Void> waiter = waiterTaking();
		while (!this.turn.othersWait()) {
			Thread.sleep(1);
		}
		return waiter;
	}

	private boolean takenWithin(int seconds) throws InterruptedException {
		CompletableFuture<Void> waiter = waiterTaking();
		try {
			waiter.get(seconds, TimeUnit.SECONDS);
			return true;
		}
		catch (Exception ex) {
			return false;
		}
	}

}
