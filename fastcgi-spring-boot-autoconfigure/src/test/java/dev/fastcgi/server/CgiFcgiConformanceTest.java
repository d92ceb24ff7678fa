package dev.fastcgi.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server answers libfcgi's own client, {@code cgi-fcgi} from Debian's libfcgi-bin: an
 * independent implementation of the protocol.
 */
class CgiFcgiConformanceTest {

	private static final Path CGI_FCGI = Path.of("/usr/bin/cgi-fcgi");

	private final ExecutorService executor = ServerThreads.create(false, 64);

	private FastCgiServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
		this.executor.shutdownNow();
	}

	@Test
	void echoesParamsAndBodyOverTcp() throws Exception {
		start(new ListenAddress.Tcp("127.0.0.1", 0));
		String output = cgiFcgi("127.0.0.1:" + this.server.getPort(), "hello body");
		assertThat(output).startsWith("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n");
		assertThat(output).contains("REQUEST_METHOD=POST\n", "CONTENT_LENGTH=10\n", "body=hello body\n");
	}

	@Test
	void echoesParamsAndBodyOverUnixSocket(@TempDir Path directory) throws Exception {
		Path socket = directory.resolve("app.sock");
		start(new ListenAddress.UnixSocket(socket));
		String output = cgiFcgi(socket.toString(), "over unix");
		assertThat(output).contains("body=over unix\n");
	}

	@Test
	void servesManyRequestsOneAfterAnother() throws Exception {
		start(new ListenAddress.Tcp("127.0.0.1", 0));
		for (int i = 0; i < 20; i++) {
			assertThat(cgiFcgi("127.0.0.1:" + this.server.getPort(), "request " + i)).contains("body=request " + i + "\n");
		}
	}

	private void start(ListenAddress address) throws IOException {
		requireCgiFcgi();
		ServerSettings settings = new ServerSettings().setAddress(address);
		this.server = new FastCgiServer(settings, CgiFcgiConformanceTest::echo, this.executor, ServerListener.NONE);
		this.server.start();
	}

	static void echo(FastCgiExchange exchange) throws IOException {
		byte[] body = exchange.stdin().readAllBytes();
		StringBuilder text = new StringBuilder("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n");
		for (String name : List.of("REQUEST_METHOD", "CONTENT_LENGTH", "SCRIPT_NAME")) {
			text.append(name).append('=').append(exchange.params().get(name)).append('\n');
		}
		text.append("body=").append(new String(body, StandardCharsets.ISO_8859_1)).append('\n');
		exchange.stdout().write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
	}

	private String cgiFcgi(String address, String body) throws Exception {
		List<String> command = new ArrayList<>(List.of(CGI_FCGI.toString(), "-bind", "-connect", address));
		ProcessBuilder builder = new ProcessBuilder(command);
		Map<String, String> environment = builder.environment();
		environment.clear();
		environment.put("REQUEST_METHOD", "POST");
		environment.put("CONTENT_LENGTH", Integer.toString(body.length()));
		environment.put("SCRIPT_NAME", "/echo");
		Process process = builder.redirectErrorStream(true).start();
		process.getOutputStream().write(body.getBytes(StandardCharsets.ISO_8859_1));
		process.getOutputStream().close();
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		process.getInputStream().transferTo(output);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("cgi-fcgi exit status, output: %s", output).isZero();
		return output.toString(StandardCharsets.ISO_8859_1);
	}

	static void requireCgiFcgi() {
		if ("true".equals(System.getenv("CI"))) {
			assertThat(Files.isExecutable(CGI_FCGI)).as("cgi-fcgi (Debian libfcgi-bin) must be installed in CI").isTrue();
		}
		assumeTrue(Files.isExecutable(CGI_FCGI), "cgi-fcgi (Debian libfcgi-bin) is not installed");
	}

}
