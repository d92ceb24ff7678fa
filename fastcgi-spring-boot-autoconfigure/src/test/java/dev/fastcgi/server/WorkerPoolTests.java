package dev.fastcgi.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The platform thread pool: grows to its most threads before it queues, reuses idle threads, and
 * refuses a task that must not wait when every thread is taken.
 */
@Timeout(30)
class WorkerPoolTests {

	private final WorkerPool pool = new WorkerPool(3, Thread::new);

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stop() throws InterruptedException {
		this.release.countDown();
		// not shutdownNow: its interrupt could reach a released task before it returns, failing it
		this.pool.shutdown();
		assertThat(this.pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void startsAThreadForEachTaskUntilTheMostRunThenQueues() throws Exception {
		occupyEveryThread(this.pool::execute);
		CountDownLatch queuedRan = new CountDownLatch(1);
		this.pool.execute(queuedRan::countDown);
		assertThat(this.pool.getQueue()).hasSize(1);
		this.release.countDown();
		assertThat(queuedRan.await(20, TimeUnit.SECONDS)).isTrue();
		assertThat(this.pool.getLargestPoolSize()).isEqualTo(3);
	}

	@Test
	void anIdleThreadTakesTheNextTaskRatherThanANewOne() throws Exception {
		for (int i = 0; i < 5; i++) {
			CountDownLatch ran = new CountDownLatch(1);
			this.pool.execute(ran::countDown);
			assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
			await().until(() -> this.pool.getActiveCount() == 0);
		}
		assertThat(this.pool.getLargestPoolSize()).isOne();
	}

	@Test
	void aTaskThatMustNotWaitIsRefusedWhenEveryThreadIsTaken() throws Exception {
		occupyEveryThread(this.pool::executeIfThreadFree);
		assertThatExceptionOfType(RejectedExecutionException.class)
			.isThrownBy(() -> this.pool.executeIfThreadFree(() -> {
			}));
		this.release.countDown();
		await().until(() -> this.pool.getActiveCount() == 0);
		CountDownLatch ran = new CountDownLatch(1);
		this.pool.executeIfThreadFree(ran::countDown);
		assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void submittersRacingForTheLastThreadQueueRatherThanRefuse() throws Exception {
		List<Throwable> refusals = new CopyOnWriteArrayList<>();
		for (int round = 0; round < 300 && refusals.isEmpty(); round++) {
			WorkerPool small = new WorkerPool(2, Thread::new);
			CountDownLatch done = new CountDownLatch(1);
			CyclicBarrier start = new CyclicBarrier(4);
			List<Thread> submitters = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				Thread submitter = new Thread(() -> {
					try {
						start.await();
						small.execute(() -> RunningServer.await(done));
					}
					catch (RejectedExecutionException ex) {
						refusals.add(ex);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				});
				submitters.add(submitter);
				submitter.start();
			}
			for (Thread submitter : submitters) {
				submitter.join();
			}
			done.countDown();
			small.shutdown();
			assertThat(small.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(refusals).isEmpty();
	}

	/** Gives each of the pool's 3 threads a task that runs until released, and waits until all run. */
	private void occupyEveryThread(Consumer<Runnable> execute) throws InterruptedException {
		CountDownLatch started = new CountDownLatch(3);
		for (int i = 0; i < 3; i++) {
			execute.accept(() -> {
				started.countDown();
				RunningServer.await(this.release);
			});
		}
		assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
	}

}
