package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory under {@code java.io.tmpdir}, deleted with everything in it on close.
 * <p>
 * It is made {@code rwxr-xr-x} although {@link Files#createTempDirectory} creates it
 * {@code rwx------}: when the tests run as root, nginx workers and Apache children run as
 * {@code nobody} and must traverse it to read the docroot and to reach a UNIX socket inside it.
 * Traversing is all they get; a socket they connect to must itself be writable by them.
 */
public final class ScratchDirectory implements AutoCloseable {

	private final Path path;

	private ScratchDirectory(Path path) {
		this.path = path;
	}

	public static ScratchDirectory create(String prefix) {
		try {
			Path path = Files.createTempDirectory(prefix + "-");
			Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
			return new ScratchDirectory(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Path path() {
		return this.path;
	}

	public Path resolve(String name) {
		return this.path.resolve(name);
	}

	/** Reads a file of this directory, or returns a note that it does not exist. */
	public String read(String name) {
		try {
			return Files.readString(resolve(name));
		}
		catch (NoSuchFileException ex) {
			return "(no " + name + ")";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		if (!Files.exists(this.path)) {
			return;
		}
		try (Stream<Path> tree = Files.walk(this.path)) {
			for (Path file : tree.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete " + this.path, ex);
		}
	}

	@Override
	public String toString() {
		return this.path.toString();
	}

}
