package dev.fastcgi.sample.e2e;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class WebServerProcessIT {

	@ParameterizedTest
	@EnumSource(WebServerKind.class)
	void servesStaticFileFromDocrootThenLeavesNoProcessOrFileBehind(WebServerKind kind) throws Exception {
		List<ProcessHandle> processes;
		Path directory;
		try (WebServerProcess server = kind.start("")) {
			Files.writeString(server.docroot().resolve("hello.txt"), "Hello from the docroot\n");
			HttpResponse<String> response = E2eHttp.get(server.uri("/hello.txt"));
			assertThat(response.statusCode()).as(server::diagnostics).isEqualTo(200);
			assertThat(response.body()).isEqualTo("Hello from the docroot\n");
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(contentType) -> assertThat(contentType).startsWith("text/plain"));
			processes = server.processes();
			directory = server.directory();
		}
		assertThat(processes).isNotEmpty().noneMatch(ProcessHandle::isAlive);
		assertThat(directory).doesNotExist();
	}

	@Test
	void nginxAnswersFromItsConfigAlone() throws Exception {
		try (WebServerProcess nginx = WebServerProcess.nginx("location = /ceiling { return 200 \"ceiling\\n\"; }")) {
			HttpResponse<String> response = E2eHttp.get(nginx.uri("/ceiling"));
			assertThat(response.statusCode()).as(nginx::diagnostics).isEqualTo(200);
			assertThat(response.body()).isEqualTo("ceiling\n");
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			NGINX    | no_such_directive on;  | unknown directive "no_such_directive"
			LIGHTTPD | this is not a config   | parser failed
			APACHE   | NoSuchDirective on     | Invalid command 'NoSuchDirective'
			""")
	void reportsWhyServerDidNotStartAndCleansUp(WebServerKind kind, String badConfig, String complaint) {
		String message = assertThatIllegalStateException().isThrownBy(() -> kind.start(badConfig))
			.withMessageContaining(complaint)
			.actual()
			.getMessage();
		Matcher directory = Pattern.compile(" in (/\\S+)").matcher(message);
		assertThat(directory.find()).as(message).isTrue();
		assertThat(Path.of(directory.group(1))).doesNotExist();
	}

	@Test
	void lighttpdStartsItsBinPathApplicationWithListeningSocketOnFdZeroAndStopsIt() throws Exception {
		List<ProcessHandle> processes;
		try (SampleAppScript script = SampleAppScript.create();
				WebServerProcess lighttpd = WebServerProcess
					.lighttpd(FastCgiRoutes.lighttpdBinPath("/", script.socket(), script.path()))) {
			ProcessHandle application = lighttpd.processes()
				.stream()
				.filter((process) -> process.info().command().orElse("").endsWith("/java"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No JVM among " + lighttpd.processes() + "\n" + lighttpd.diagnostics()));
			assertThat(application.parent()).hasValue(lighttpd.processes().get(0));
			assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(application.pid()), "fd", "0")))
				.asString()
				.startsWith("socket:");
			await().atMost(Duration.ofSeconds(90))
				.untilAsserted(() -> assertThat(script.log()).contains("FastCGI server listening on fd:0"));
			HttpResponse<String> response = E2eHttp.get(lighttpd.uri("/api/greeting"));
			assertThat(response.statusCode()).as(lighttpd::diagnostics).isEqualTo(200);
			processes = lighttpd.processes();
		}
		assertThat(processes).noneMatch(ProcessHandle::isAlive);
	}

}
