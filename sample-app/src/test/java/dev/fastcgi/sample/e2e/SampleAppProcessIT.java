package dev.fastcgi.sample.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The launcher itself, with the application started without a web server so these tests do not
 * depend on the FastCGI server.
 */
class SampleAppProcessIT {

	private static final String[] WITHOUT_WEB_SERVER = { "--spring.main.web-application-type=none",
			"--spring.main.keep-alive=true" };

	@Test
	void returnsOnceStartedAndStopsWithSigterm() {
		Path directory;
		try (SampleAppProcess app = SampleAppProcess.start(WITHOUT_WEB_SERVER)) {
			assertThat(app.log()).contains("Started SampleApplication");
			assertThat(app.processHandle().isAlive()).isTrue();
			assertThat(app.stop()).as(app::log).isEqualTo(143);
			assertThat(app.processHandle().isAlive()).isFalse();
			directory = app.directory();
		}
		assertThat(directory).doesNotExist();
	}

	@Test
	void reportsApplicationOutputWhenItFailsToStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SampleAppProcess.start("--spring.config.import=file:/nonexistent/e2e.yml"))
			.withMessageContaining("exited with status 1")
			.withMessageContaining("/nonexistent/e2e.yml");
	}

	@Test
	void reportsApplicationThatStartedWithoutListening() {
		assertThatIllegalStateException().isThrownBy(() -> SampleAppProcess.startOnUnixSocket(WITHOUT_WEB_SERVER))
			.withMessageContaining("does not listen on unix:")
			.withMessageContaining("Started SampleApplication");
	}

}
