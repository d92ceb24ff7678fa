package dev.fastcgi.boot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.fastcgi.client.FastCgiClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A whole Spring MVC application served by the auto-configured FastCGI web server, driven with
 * the project's FastCGI client.
 */
class FastCgiWebServerIntegrationTest {

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void servesControllersOverFastCgi() throws Exception {
		int port = start();
		try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", port)) {
			FastCgiClient.Response hello = client.send(FastCgiClient.Request.get("/hello?name=fcgi"));
			assertThat(hello.status()).isEqualTo(200);
			assertThat(hello.bodyAsString()).isEqualTo("Hello fcgi");
			FastCgiClient.Response echo = client.send(FastCgiClient.Request.post("/echo", "text/plain",
					"posted".getBytes(StandardCharsets.UTF_8)));
			assertThat(echo.bodyAsString()).isEqualTo("echo: posted");
			assertThat(client.send(FastCgiClient.Request.get("/missing")).status()).isEqualTo(404);
			FastCgiClient.Response failure = client.send(FastCgiClient.Request.get("/fail"));
			assertThat(failure.status()).isEqualTo(500);
		}
	}

	@Test
	void publishesThePortAndHonoursTheContextPath() throws Exception {
		int port = start("--server.servlet.context-path=/ctx");
		assertThat(this.context.getEnvironment().getProperty("local.server.port")).isEqualTo(Integer.toString(port));
		assertThat(this.context.getBean(TestApplication.InitializedPort.class).port).isEqualTo(port);
		try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", port)) {
			assertThat(client.send(FastCgiClient.Request.get("/ctx/hello?name=ctx")).bodyAsString())
				.isEqualTo("Hello ctx");
			assertThat(client.send(FastCgiClient.Request.get("/hello?name=ctx")).status()).isEqualTo(404);
		}
	}

	@Test
	void gracefulShutdownLetsTheRequestInFlightFinish() throws Exception {
		int port = start("--server.shutdown=graceful");
		TestApplication.SlowController slow = this.context.getBean(TestApplication.SlowController.class);
		try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", port)) {
			FastCgiClient.Exchange inFlight = client.start(FastCgiClient.Request.get("/slow"));
			assertThat(slow.entered.await(30, TimeUnit.SECONDS)).isTrue();
			Thread closer = new Thread(this.context::close);
			closer.start();
			awaitListenerClosed(port);
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
				try (FastCgiClient late = FastCgiClient.tcp("127.0.0.1", port)) {
					late.send(FastCgiClient.Request.get("/hello?name=late"));
				}
			});
			slow.release.countDown();
			FastCgiClient.Response response = inFlight.await();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyAsString()).isEqualTo("finished");
			closer.join(30_000);
		}
	}

	@Test
	void serverCompressionCompressesLargeResponsesForClientsTakingGzip() throws Exception {
		int port = start("--server.compression.enabled=true", "--server.compression.min-response-size=1KB");
		try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", port)) {
			String name = "x".repeat(2000);
			FastCgiClient.Response compressed = client
				.send(FastCgiClient.Request.get("/hello?name=" + name).header("Accept-Encoding", "gzip"));
			assertThat(compressed.header("Content-Encoding")).isEqualTo("gzip");
			try (GZIPInputStream body = new GZIPInputStream(new ByteArrayInputStream(compressed.body()))) {
				assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("Hello " + name);
			}
			FastCgiClient.Response small = client
				.send(FastCgiClient.Request.get("/hello?name=small").header("Accept-Encoding", "gzip"));
			assertThat(small.header("Content-Encoding")).isNull();
			assertThat(small.bodyAsString()).isEqualTo("Hello small");
		}
	}

	/** TLS and HTTP/2 are the web server's: set on the application they stop it, saying where they belong. */
	@Test
	void serverSslOrHttp2StopsStartupNamingWhereToConfigureThem() {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> start("--server.ssl.enabled=true", "--server.ssl.bundle=web"))
			.havingRootCause()
			.withMessageStartingWith("server.ssl is set, but TLS ends at the web server")
			.withMessageContaining("configure the certificate in nginx, lighttpd or Apache");
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> start("--server.http2.enabled=true"))
			.havingRootCause()
			.withMessageStartingWith("server.http2.enabled is set, but HTTP/2 is spoken by the web server")
			.withMessageContaining("remove server.http2.enabled");
	}

	/** Graceful shutdown has begun once the listening socket refuses connections. */
	private static void awaitListenerClosed(int port) {
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
			try (Socket probe = new Socket()) {
				probe.connect(new InetSocketAddress("127.0.0.1", port), 100);
				return false;
			}
			catch (IOException refused) {
				return true;
			}
		});
	}

	private int start(String... args) {
		this.context = StandaloneApplication.run(TestApplication.class, args);
		return StandaloneApplication.port(this.context);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(AutoConfigurationWithoutSecurity.class)
	static class TestApplication {

		/**
		 * Names given explicitly: the fuzz tests' Jazzer agent instruments classes loaded after it
		 * in the same JVM and drops the parameter names {@code -parameters} compiled in.
		 */
		@RestController
		static class HelloController {

			@GetMapping("/hello")
			String hello(@RequestParam("name") String name) {
				return "Hello " + name;
			}

			@PostMapping("/echo")
			String echo(@RequestBody String body) {
				return "echo: " + body;
			}

			@GetMapping("/fail")
			String fail() {
				throw new IllegalStateException("failing on purpose");
			}

		}

		@org.springframework.stereotype.Component
		static class InitializedPort {

			volatile int port = -1;

			@EventListener
			void onInitialized(WebServerInitializedEvent event) {
				this.port = event.getWebServer().getPort();
			}

		}

		@RestController
		static class SlowController {

			final CountDownLatch entered = new CountDownLatch(1);

			final CountDownLatch release = new CountDownLatch(1);

			@GetMapping("/slow")
			String slow() throws InterruptedException {
				this.entered.countDown();
				this.release.await(30, TimeUnit.SECONDS);
				return "finished";
			}

		}

	}

}
