package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A shell script that runs the sample application for programs that start the application
 * themselves with the listening socket as file descriptor 0: lighttpd's {@code bin-path},
 * {@code spawn-fcgi}, {@code systemd-socket-activate} (with {@code fastcgi.socket=systemd}). The script {@code exec}s the JVM
 * so that the process they started, and signal on shutdown, is the JVM itself. Output is
 * appended to {@link #log()} because lighttpd gives its children {@code /dev/null} as stdout.
 * Closing deletes the script's directory; stop the program that spawned the JVM first.
 */
public final class SampleAppScript implements AutoCloseable {

	private final ScratchDirectory directory;

	private SampleAppScript(ScratchDirectory directory) {
		this.directory = directory;
	}

	/**
	 * Writes a script running the application with {@code --fastcgi.socket=fd:0} followed by
	 * {@code args}.
	 */
	public static SampleAppScript create(String... args) {
		return createWithSocket("fd:0", args);
	}

	/**
	 * Writes a script running the application with {@code --fastcgi.socket=socketProperty}
	 * followed by {@code args}, e.g. {@code systemd} for {@code systemd-socket-activate}.
	 */
	public static SampleAppScript createWithSocket(String socketProperty, String... args) {
		ScratchDirectory directory = ScratchDirectory.create("e2e-app-script");
		List<String> arguments = new ArrayList<>();
		arguments.add("--fastcgi.socket=" + socketProperty);
		arguments.addAll(Arrays.asList(args));
		String command = SampleAppProcess.javaCommand(arguments).stream()
			.map(SampleAppScript::quote)
			.collect(Collectors.joining(" "));
		String script = """
				#!/bin/sh
				exec %s >>%s 2>&1
				""".formatted(command, quote(directory.resolve("app.log").toString()));
		try {
			Files.writeString(directory.resolve("app.sh"), script);
			Files.setPosixFilePermissions(directory.resolve("app.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		catch (IOException ex) {
			directory.close();
			throw new UncheckedIOException(ex);
		}
		return new SampleAppScript(directory);
	}

	private static String quote(String argument) {
		return "'" + argument.replace("'", "'\\''") + "'";
	}

	/** The script's directory, where the spawning program may put the listening socket. */
	public Path directory() {
		return this.directory.path();
	}

	public Path path() {
		return this.directory.resolve("app.sh");
	}

	/**
	 * A place for the spawning program to create the listening socket, e.g. for
	 * {@link FastCgiRoutes#lighttpdBinPath}: lighttpd creates and removes it itself.
	 */
	public FastCgiAddress socket() {
		return FastCgiAddress.unix(this.directory.resolve("app.sock"));
	}

	/** Everything the application printed so far. */
	public String log() {
		return this.directory.read("app.log");
	}

	@Override
	public void close() {
		this.directory.close();
	}

}
