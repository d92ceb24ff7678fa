package dev.fastcgi.sample.differential;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.fastcgi.sample.e2e.ScratchDirectory;

/**
 * {@link DifferentialApplication} in a JVM of its own with a given class path, so that one run
 * can have embedded Tomcat and the other not. Closing sends SIGTERM and kills the JVM only when
 * it does not stop in time.
 */
final class ApplicationProcess implements AutoCloseable {

	/** Printed by Spring Boot once the context is refreshed and the web server started. */
	private static final String STARTED_LINE = "Started " + DifferentialApplication.class.getSimpleName() + " in ";

	/** A cold JVM on a 2-core CI machine busy with the other JVM and nginx. */
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration STOP_GRACE = Duration.ofSeconds(40);

	private final String name;

	private final ScratchDirectory directory;

	private final Process process;

	private ApplicationProcess(String name, ScratchDirectory directory, Process process) {
		this.name = name;
		this.directory = directory;
		this.process = process;
	}

	/**
	 * Starts the application with this JVM's class path plus {@code extraClassPath} and waits
	 * until it reports that it started.
	 */
	static ApplicationProcess start(String name, List<Path> extraClassPath, List<String> args) {
		List<String> classPath = new ArrayList<>(List.of(System.getProperty("java.class.path")));
		extraClassPath.forEach((entry) -> classPath.add(entry.toString()));
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", String.join(File.pathSeparator, classPath), DifferentialApplication.class.getName()));
		command.addAll(args);
		ScratchDirectory directory = ScratchDirectory.create("differential-" + name);
		ApplicationProcess application;
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(directory.resolve("app.log").toFile())
				.start();
			application = new ApplicationProcess(name, directory, process);
		}
		catch (IOException ex) {
			directory.close();
			throw new UncheckedIOException(ex);
		}
		try {
			application.awaitStarted();
			return application;
		}
		catch (RuntimeException ex) {
			application.close();
			throw ex;
		}
	}

	private void awaitStarted() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (!log().contains(STARTED_LINE)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with status " + this.process.exitValue()
						+ " before it started\n" + log());
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						this.name + " did not start within " + STARTUP_TIMEOUT.toSeconds() + " s\n" + log());
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + this.name + " to start", ex);
			}
		}
	}

	String log() {
		return this.directory.read("app.log");
	}

	@Override
	public void close() {
		try {
			this.process.destroy();
			if (!this.process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		finally {
			this.directory.close();
		}
	}

}
