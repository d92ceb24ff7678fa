package dev.fastcgi.server;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads for connections and requests: a task goes to an idle thread, else to a new
 * one while fewer than the most run, else waits in a queue. Queued rather than handed over, a
 * busy machine's tasks are taken by threads finishing others, without a thread put to sleep and
 * woken for each.
 */
final class WorkerPool extends ThreadPoolExecutor {

	private static final int CORES = Runtime.getRuntime().availableProcessors();

	private final AtomicInteger submitted = new AtomicInteger();

	WorkerPool(int maxThreads, ThreadFactory threadFactory) {
		this(maxThreads, threadFactory, new GrowFirstQueue());
	}

	private WorkerPool(int maxThreads, ThreadFactory threadFactory, GrowFirstQueue queue) {
		super(0, maxThreads, 60, TimeUnit.SECONDS, queue, queue.counting(threadFactory),
				WorkerPool::queueWhenNoThreadStarted);
		queue.pool = this;
	}

	/**
	 * The queue turns a task away while the pool may start a thread for it; when two submitters
	 * race for the last thread, starting one fails for the loser, whose task then waits in the
	 * queue like any other instead of being refused (a refused connection is a 502 at the web
	 * server).
	 */
	private static void queueWhenNoThreadStarted(Runnable task, ThreadPoolExecutor pool) {
		if (pool.isShutdown()) {
			throw new RejectedExecutionException("The FastCGI server's threads are stopping");
		}
		((GrowFirstQueue) pool.getQueue()).enqueue(task);
	}

	@Override
	public void execute(Runnable task) {
		this.submitted.incrementAndGet();
		try {
			super.execute(task);
		}
		catch (RejectedExecutionException ex) {
			this.submitted.decrementAndGet();
			throw ex;
		}
	}

	/** Whether fewer tasks run or wait than the machine has cores, so a thread waiting costs no other task its turn. */
	boolean hasIdleCores() {
		return this.submitted.get() < CORES;
	}

	/**
	 * Runs the task on the calling thread, counted as one of the pool's: it takes a core and
	 * one of the most threads like the others.
	 */
	void runHere(Runnable task) {
		this.submitted.incrementAndGet();
		try {
			task.run();
		}
		finally {
			this.submitted.decrementAndGet();
		}
	}

	/** Runs the task unless every thread is taken, rather than queue it. */
	void executeIfThreadFree(Runnable task) {
		if (this.submitted.get() >= getMaximumPoolSize()) {
			throw new RejectedExecutionException("All " + getMaximumPoolSize() + " threads are busy");
		}
		execute(task);
	}

	@Override
	protected void afterExecute(Runnable task, Throwable failure) {
		this.submitted.decrementAndGet();
	}

	private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {

		private WorkerPool pool;

		/**
		 * The pool's threads that have started and not ended: {@link ThreadPoolExecutor#getPoolSize()}
		 * would take the pool's main lock for every task, which the submitters and the threads then
		 * contend for.
		 */
		private final AtomicInteger threads = new AtomicInteger();

		ThreadFactory counting(ThreadFactory threadFactory) {
			return (worker) -> threadFactory.newThread(() -> {
				this.threads.incrementAndGet();
				try {
					worker.run();
				}
				finally {
					this.threads.decrementAndGet();
				}
			});
		}

		@Override
		public boolean offer(Runnable task) {
			int threads = this.threads.get();
			if (this.pool.submitted.get() <= threads || threads >= this.pool.getMaximumPoolSize()) {
				return super.offer(task);
			}
			// refused: the pool starts a thread for it
			return false;
		}

		void enqueue(Runnable task) {
			super.offer(task);
		}

	}

}
