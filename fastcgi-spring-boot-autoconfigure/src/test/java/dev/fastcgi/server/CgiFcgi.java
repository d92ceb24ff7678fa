package dev.fastcgi.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs libfcgi's {@code cgi-fcgi} (Debian libfcgi-bin) as an independent FastCGI client: it
 * sends its environment as params and its standard input as STDIN, and prints STDOUT.
 */
final class CgiFcgi {

	private static final Path EXECUTABLE = Path.of("/usr/bin/cgi-fcgi");

	private CgiFcgi() {
	}

	static void require() {
		if ("true".equals(System.getenv("CI"))) {
			assertThat(Files.isExecutable(EXECUTABLE)).as("cgi-fcgi (Debian libfcgi-bin) must be installed in CI")
				.isTrue();
		}
		assumeTrue(Files.isExecutable(EXECUTABLE), "cgi-fcgi (Debian libfcgi-bin) is not installed");
	}

	/** POSTs the body to the application at {@code HOST:PORT} or a UNIX socket path. */
	static String post(String address, String body) throws Exception {
		require();
		ProcessBuilder builder = new ProcessBuilder(EXECUTABLE.toString(), "-bind", "-connect", address);
		Map<String, String> environment = builder.environment();
		environment.clear();
		environment.put("REQUEST_METHOD", "POST");
		environment.put("CONTENT_LENGTH", Integer.toString(body.length()));
		environment.put("SCRIPT_NAME", "/echo");
		Process process = builder.redirectErrorStream(true).start();
		process.getOutputStream().write(body.getBytes(StandardCharsets.ISO_8859_1));
		process.getOutputStream().close();
		// the replies are small enough for the pipe, so waiting before reading cannot block the child
		boolean exited = process.waitFor(30, TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly();
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		assertThat(exited).as("cgi-fcgi finished within 30 s, output: %s", output).isTrue();
		assertThat(process.exitValue()).as("cgi-fcgi exit status, output: %s", output).isZero();
		return output;
	}

}
