package dev.fastcgi.boot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.LoggerContext;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.servlet.FastCgiServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches a request's STDERR records: what the application writes to the
 * {@link FastCgiServletRequest#STDERR_ATTRIBUTE} stream, and with
 * {@code fastcgi.stderr.log-level} the log events of the thread serving the request.
 */
class StderrIntegrationTest {

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void theStderrAttributeWritesToTheRequestsStderrAndLogEventsStayOutByDefault() throws Exception {
		int port = start();
		try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", port)) {
			assertThat(client.send(Request.get("/written")).stderr()).isEqualTo("written by the handler\n");
			assertThat(client.send(Request.get("/logged")).stderr()).isEmpty();
		}
	}

	@Test
	void logEventsAtTheLevelAndAboveOnTheRequestsThreadGoToItsStderrUntilTheContextCloses() throws Exception {
		int port = start("--fastcgi.stderr.log-level=warn");
		try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", port)) {
			String stderr = client.send(Request.get("/logged")).stderr();
			assertThat(stderr).contains("WARN  " + StderrApplication.LoggingController.class.getName() + " - loud\n")
				.contains("ERROR " + StderrApplication.LoggingController.class.getName() + " - failed\n"
						+ IllegalStateException.class.getName() + ": broken")
				.doesNotContain("quiet");
			assertThat(client.send(Request.get("/logged")).stderr()).as("the next request's own events")
				.isEqualTo(stderr);
		}
		this.context.close();
		LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
		assertThat(logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("FASTCGI_STDERR")).isNull();
	}

	private int start(String... args) {
		this.context = StandaloneApplication.run(StderrApplication.class, args);
		return StandaloneApplication.port(this.context);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(AutoConfigurationWithoutSecurity.class)
	static class StderrApplication {

		@RestController
		static class LoggingController {

			private static final Log logger = LogFactory.getLog(LoggingController.class);

			@GetMapping("/written")
			String written(HttpServletRequest request) throws IOException {
				OutputStream stderr = (OutputStream) request.getAttribute(FastCgiServletRequest.STDERR_ATTRIBUTE);
				stderr.write("written by the handler\n".getBytes(StandardCharsets.UTF_8));
				return "written";
			}

			@GetMapping("/logged")
			String logged() {
				logger.info("quiet");
				logger.warn("loud");
				logger.error("failed", new IllegalStateException("broken"));
				return "logged";
			}

		}

	}

}
