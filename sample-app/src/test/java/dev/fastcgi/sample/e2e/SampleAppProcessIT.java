package dev.fastcgi.sample.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The launcher itself. */
class SampleAppProcessIT {

	@Test
	void returnsOnceListeningAndStopsWithSigtermRemovingItsSocket() {
		Path directory;
		try (SampleAppProcess app = SampleAppProcess.startOnUnixSocket()) {
			Path socket = ((FastCgiAddress.Unix) app.address()).socket();
			assertThat(app.log()).contains("FastCGI server listening on unix:" + socket);
			assertThat(socket).exists();
			assertThat(app.processHandle().isAlive()).isTrue();
			// 128 + 15: the JVM reports SIGTERM in its exit status after running the shutdown
			// hooks, in which Spring Boot closes the context; Boot does not change it to 0.
			assertThat(app.stop()).as(app::log).isEqualTo(143);
			assertThat(app.processHandle().isAlive()).isFalse();
			assertThat(socket).doesNotExist();
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
		// Without a web server the application starts, and stays up, but listens nowhere.
		assertThatIllegalStateException()
			.isThrownBy(() -> SampleAppProcess.startOnUnixSocket("--spring.main.web-application-type=none",
					"--spring.main.keep-alive=true"))
			.withMessageContaining("does not listen on unix:")
			.withMessageContaining("Started SampleApplication");
	}

}
