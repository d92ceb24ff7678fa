package dev.fastcgi.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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
		String output = CgiFcgi.post("127.0.0.1:" + this.server.getPort(), "hello body");
		assertThat(output).startsWith("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n");
		assertThat(output).contains("REQUEST_METHOD=POST\n", "CONTENT_LENGTH=10\n", "body=hello body\n");
	}

	@Test
	void echoesParamsAndBodyOverUnixSocket(@TempDir Path directory) throws Exception {
		Path socket = directory.resolve("app.sock");
		start(new ListenAddress.UnixSocket(socket));
		String output = CgiFcgi.post(socket.toString(), "over unix");
		assertThat(output).contains("body=over unix\n");
	}

	@Test
	void servesManyRequestsOneAfterAnother() throws Exception {
		start(new ListenAddress.Tcp("127.0.0.1", 0));
		for (int i = 0; i < 20; i++) {
			assertThat(CgiFcgi.post("127.0.0.1:" + this.server.getPort(), "request " + i)).contains("body=request " + i + "\n");
		}
	}

	private void start(ListenAddress address) throws IOException {
		CgiFcgi.require();
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

}
