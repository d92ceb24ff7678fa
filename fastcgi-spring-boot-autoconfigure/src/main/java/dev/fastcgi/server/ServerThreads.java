package dev.fastcgi.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads connections and multiplexed requests run on: a virtual thread each on JDK 21+
 * when asked for, otherwise a bounded pool of platform threads that never queues a connection
 * behind a busy one.
 */
public final class ServerThreads {

	private ServerThreads() {
	}

	/**
	 * @param virtual whether to use virtual threads (ignored before JDK 21)
	 * @param maxThreads the most platform threads
	 */
	public static ExecutorService create(boolean virtual, int maxThreads) {
		if (virtual) {
			ExecutorService executor = virtualThreadExecutor();
			if (executor != null) {
				return executor;
			}
		}
		AtomicInteger number = new AtomicInteger();
		ThreadFactory factory = (task) -> {
			Thread thread = new Thread(task, "fastcgi-" + number.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return new ThreadPoolExecutor(0, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
	}

	/** Whether {@link #create} can give virtual threads on this JVM. */
	public static boolean virtualThreadsAvailable() {
		return Runtime.version().feature() >= 21;
	}

	private static ExecutorService virtualThreadExecutor() {
		if (!virtualThreadsAvailable()) {
			return null;
		}
		try {
			// compiled for Java 17, so reached by a method handle
			return (ExecutorService) MethodHandles.publicLookup()
				.findStatic(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
						MethodType.methodType(ExecutorService.class))
				.invoke();
		}
		catch (Throwable ex) {
			return null;
		}
	}

}
