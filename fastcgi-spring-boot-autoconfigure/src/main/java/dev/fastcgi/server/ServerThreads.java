package dev.fastcgi.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads connections and multiplexed requests run on: a virtual thread each on JDK 21+
 * when asked for, otherwise a {@link WorkerPool} of platform threads, which kept connections
 * leave between requests ({@link IdleConnections}).
 */
public final class ServerThreads {

	/** {@code Thread.isVirtual()}, or {@code null} before JDK 21. */
	private static final MethodHandle IS_VIRTUAL = isVirtualMethod();

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
		return new WorkerPool(maxThreads, factory);
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

	/** Whether the executor runs its tasks on virtual threads; finds out by running one that only looks. */
	static boolean runsVirtualThreads(Executor executor) {
		if (IS_VIRTUAL == null) {
			return false;
		}
		try {
			return CompletableFuture.supplyAsync(ServerThreads::isCurrentThreadVirtual, executor).join();
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	private static boolean isCurrentThreadVirtual() {
		try {
			return (boolean) IS_VIRTUAL.invoke(Thread.currentThread());
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static MethodHandle isVirtualMethod() {
		try {
			// compiled for Java 17, so reached by a method handle
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

}
