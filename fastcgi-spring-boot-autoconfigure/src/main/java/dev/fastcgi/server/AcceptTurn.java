package dev.fastcgi.server;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whose turn it is to accept, among a server's acceptors: one accepts at a time, so that no
 * accept hands the channel's lock to another (a thread put to sleep and woken per connection).
 * <p>
 * The holder may keep the turn while it serves a connection itself, so that a web server opening a
 * connection per request, one at a time, costs no hand-over at all: the holder goes back to
 * accepting when it is done, as each of libfcgi's threads does. It may do so only while an acceptor
 * waiting for the turn watches: that one looks in every interval and takes the turn over from a
 * holder it finds serving the same connection twice, so that a slow handler does not stop
 * accepting for more than two intervals. A watcher that finds no turn kept stops watching
 * (an idle server wakes no thread), and the turn is then passed on before serving.
 */
final class AcceptTurn {

	private final long watchIntervalNanos;

	/** One permit: the turn, taken from it and passed back to it. */
	private final Semaphore turn = new Semaphore(1);

	/** The connection whose serving keeps the turn with its holder; {@code null} when none does. */
	private final AtomicReference<Object> keptFor = new AtomicReference<>();

	/** Whether an acceptor waiting for the turn looks in on the holder every interval. */
	private volatile boolean watched;

	AcceptTurn(Duration watchInterval) {
		this.watchIntervalNanos = watchInterval.toNanos();
	}

	/** Waits until the calling acceptor has the turn: passed to it, or taken over from a slow holder. */
	void take() throws InterruptedException {
		this.watched = true;
		try {
			Object seenBefore = null;
			while (!this.turn.tryAcquire(this.watchIntervalNanos, TimeUnit.NANOSECONDS)) {
				Object kept = this.keptFor.get();
				if (kept == null) {
					this.watched = false;
					// a holder keeping the turn from now on sees watched false and passes it
					if (this.keptFor.get() == null) {
						this.turn.acquire();
						return;
					}
					this.watched = true;
				}
				else if (kept == seenBefore && this.keptFor.compareAndSet(kept, null)) {
					return;
				}
				seenBefore = kept;
			}
		}
		finally {
			this.watched = false;
		}
	}

	/** Passes the turn to an acceptor waiting for it, or to the next one that asks. */
	void pass() {
		this.turn.release();
	}

	/** Whether another acceptor waits for the turn, and would accept while the holder serves. */
	boolean othersWait() {
		return this.turn.hasQueuedThreads();
	}

	/**
	 * Called by the holder about to serve a connection itself: keeps the turn if the connection came
	 * alone (none queued behind it, which serving would keep waiting) and another acceptor watches;
	 * otherwise passes it on.
	 * @return whether the holder kept the turn; if it did, it must call {@link #keptAfterServing}
	 */
	boolean keepWhileServing(Object connection, boolean cameAlone) {
		if (!cameAlone) {
			pass();
			return false;
		}
		this.keptFor.set(connection);
		if (this.watched) {
			return true;
		}
		if (this.keptFor.compareAndSet(connection, null)) {
			pass();
		}
		// else a watcher took it over, having found it kept at two looks while this thread stalled after setting it
		return false;
	}

	/** Whether the holder still has the turn it kept to serve the connection, rather than had it taken over. */
	boolean keptAfterServing(Object connection) {
		return this.keptFor.compareAndSet(connection, null);
	}

}
