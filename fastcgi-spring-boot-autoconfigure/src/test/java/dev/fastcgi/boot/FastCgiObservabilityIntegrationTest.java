package dev.fastcgi.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Request;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meters, the health indicator and Spring MVC's {@code http.server.requests} observation for an
 * application served over FastCGI, with Micrometer on the classpath.
 */
class FastCgiObservabilityIntegrationTest {

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void requestsOverFastCgiAreObservedAndCountedAndTheListenerIsHealthy() throws Exception {
		int port = start();
		MeterRegistry registry = this.context.getBean(MeterRegistry.class);
		try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", port)) {
			assertThat(client.send(Request.get("/hello")).bodyAsString()).isEqualTo("hello");
		}
		Awaitility.await().untilAsserted(() -> {
			Timer timer = registry.find("http.server.requests").tag("uri", "/hello").tag("status", "200").timer();
			assertThat(timer).isNotNull();
			assertThat(timer.count()).isOne();
		});
		assertThat(registry.get("fastcgi.connections.accepted").counter().count()).isOne();
		assertThat(registry.get("fastcgi.requests.rejected").tag("status", "overloaded").counter().count()).isZero();
		assertThat(registry.get("fastcgi.protocol.errors").tag("error", "unsupported-version").counter().count())
			.isZero();
		assertThat(registry.get("fastcgi.requests.active").gauge().value()).isZero();
		FastCgiHealthIndicator health = this.context.getBean(FastCgiHealthIndicator.class);
		Health up = health.health();
		assertThat(up.getStatus()).isEqualTo(Status.UP);
		assertThat(up.getDetails()).containsEntry("listening", "tcp:127.0.0.1:" + port)
			.containsKeys("connections", "idleConnections", "activeRequests");
		this.context.close();
		assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void aProtocolErrorIsCountedByKind() throws Exception {
		int port = start();
		MeterRegistry registry = this.context.getBean(MeterRegistry.class);
		try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", port);
				FastCgiClient.RawConnection raw = client.openRaw()) {
			raw.write("GET / HTTP/1.1\r\n\r\n".getBytes());
			raw.read(java.time.Duration.ofSeconds(5));
		}
		Awaitility.await()
			.untilAsserted(() -> assertThat(
					registry.get("fastcgi.protocol.errors").tag("error", "unsupported-version").counter().count())
				.isOne());
	}

	private int start() {
		this.context = StandaloneApplication.run(ObservedApplication.class, "--fastcgi.drain-timeout=100ms");
		return StandaloneApplication.port(this.context);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(AutoConfigurationWithoutSecurity.class)
	static class ObservedApplication {

		@RestController
		static class HelloController {

			@GetMapping("/hello")
			String hello() {
				return "hello";
			}

		}

	}

}
