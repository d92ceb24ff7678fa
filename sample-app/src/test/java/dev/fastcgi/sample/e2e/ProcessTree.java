package dev.fastcgi.sample.e2e;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Stops a process and every process it started, including those that outlive it. */
final class ProcessTree {

	private static final Duration KILL_WAIT = Duration.ofSeconds(5);

	private ProcessTree() {
	}

	/** The process and its descendants alive now. */
	static List<ProcessHandle> of(Process root) {
		return Stream.concat(Stream.of(root.toHandle()), root.descendants()).toList();
	}

	/**
	 * Sends SIGTERM to {@code root} and waits up to {@code grace} for it and its descendants to
	 * exit on their own, then kills what is left. Descendants are collected while waiting
	 * because once the root has exited they are orphans it no longer lists: lighttpd, for one,
	 * sends SIGTERM to its {@code bin-path} children and exits without waiting for them.
	 * @return whether anything had to be killed
	 */
	static boolean stop(Process root, Duration grace) {
		long deadline = System.nanoTime() + grace.toNanos();
		Set<ProcessHandle> descendants = new LinkedHashSet<>(root.descendants().toList());
		root.destroy();
		while (root.isAlive() && System.nanoTime() < deadline) {
			root.descendants().forEach(descendants::add);
			if (!pause()) {
				break;
			}
		}
		boolean killed = kill(root.toHandle());
		for (ProcessHandle descendant : descendants) {
			while (descendant.isAlive() && System.nanoTime() < deadline) {
				if (!pause()) {
					break;
				}
			}
			killed |= kill(descendant);
		}
		return killed;
	}

	private static boolean kill(ProcessHandle process) {
		if (!process.isAlive()) {
			return false;
		}
		process.destroyForcibly();
		try {
			process.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Process " + process.pid() + " survived SIGKILL", ex);
		}
		return true;
	}

	/** Sleeps briefly; an interrupted caller stops waiting, but still gets everything killed. */
	private static boolean pause() {
		try {
			Thread.sleep(50);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
