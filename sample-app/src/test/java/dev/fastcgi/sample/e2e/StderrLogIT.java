package dev.fastcgi.sample.e2e;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fastcgi.stderr.log-level}: what the application logs while serving a request travels on
 * the request's STDERR to nginx, which writes it to its error log.
 */
class StderrLogIT {

	@Test
	void logEventsOfARequestReachNginxsErrorLog() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.startOnUnixSocket("--fastcgi.stderr.log-level=info");
				WebServerProcess nginx = WebServerProcess.nginx(FastCgiRoutes.nginxFastCgiPass("/", app.address()))) {
			HttpResponse<String> response = E2eHttp.get(nginx.uri("/api/slow?ms=1"));
			assertThat(response.statusCode()).as(nginx::diagnostics).isEqualTo(200);
			assertThat(nginx.errorLog()).contains(
					"FastCGI sent in stderr: \"INFO  dev.fastcgi.sample.ApiController - Slow request: answering in 1 ms");
		}
	}

}
