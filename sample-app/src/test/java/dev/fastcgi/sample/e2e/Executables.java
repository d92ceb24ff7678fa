package dev.fastcgi.sample.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the programs the end-to-end tests drive (web servers, {@code spawn-fcgi},
 * {@code cgi-fcgi}, {@code systemd-socket-activate}). On a developer's machine a missing
 * program skips the test; on CI ({@code CI=true}), where {@code .ci/run} installs them all, it
 * fails it, so that a broken installation cannot pass as a green build.
 */
public final class Executables {

	/** Debian installs servers into sbin directories, which a non-root user's PATH often lacks. */
	private static final String[] SBIN_DIRECTORIES = { "/usr/local/sbin", "/usr/sbin", "/sbin" };

	private Executables() {
	}

	public static Path require(String name) {
		Optional<Path> executable = find(name);
		String missing = name + " is not installed (Debian package: see .ci/run)";
		if (executable.isEmpty() && "true".equals(System.getenv("CI"))) {
			throw new AssertionError(missing + "; CI=true, so this is a failure, not a skipped test");
		}
		Assumptions.assumeTrue(executable.isPresent(), missing);
		return executable.get();
	}

	static Optional<Path> find(String name) {
		String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
		return Stream.concat(Arrays.stream(path.split(File.pathSeparator)), Arrays.stream(SBIN_DIRECTORIES))
			.filter((directory) -> !directory.isEmpty())
			.map((directory) -> Path.of(directory, name))
			.filter(Files::isExecutable)
			.findFirst();
	}

}
