package dev.fastcgi.sample.e2e;

import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application under a prefix of the site: the web server routes {@code /app/} to it and it
 * runs with {@code server.servlet.context-path=/app}. The starter takes the path from
 * {@code REQUEST_URI}, which every server sends unchanged, so the context path is what tells the
 * application where its own paths begin; for lighttpd that is the same with or without
 * {@code fix-root-scriptname} (which only matters under {@code "/"}).
 */
class PrefixMappingIT {

	@ParameterizedTest
	@EnumSource(WebServerKind.class)
	void servesUnderTheContextPathWithLinksThatKeepIt(WebServerKind kind) throws Exception {
		try (SampleAppProcess app = FastCgiTransport.UNIX.startApplication("--server.servlet.context-path=/app");
				WebServerProcess server = kind.startForwarding("/app/", app.address())) {
			HttpResponse<String> home = E2eHttp.get(server.uri("/app/"));
			assertThat(home.statusCode()).as(server::diagnostics).isEqualTo(200);
			assertThat(home.body()).contains("<h1>A Spring MVC application served over FastCGI</h1>");

			HttpResponse<String> greeting = E2eHttp.get(server.uri("/app/api/greeting?name=prefix"));
			assertThat(greeting.statusCode()).isEqualTo(200);
			assertThat(greeting.body()).isEqualTo("{\"greeting\":\"Hello, prefix!\"}");

			HttpResponse<String> created = E2eHttp.send(E2eHttp.request(server.uri("/app/api/items"))
				.header("Content-Type", "application/json")
				.POST(BodyPublishers.ofString("{\"name\":\"cup\",\"quantity\":1}"))
				.build());
			assertThat(created.statusCode()).isEqualTo(201);
			String location = created.headers().firstValue("Location").orElseThrow();
			assertThat(location).isEqualTo(server.uri("/app/api/items/1").toString());
			assertThat(E2eHttp.get(URI.create(location)).body()).isEqualTo("{\"id\":1,\"name\":\"cup\",\"quantity\":1}");

			String credentials = Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
			HttpResponse<String> admin = E2eHttp
				.send(E2eHttp.request(server.uri("/app/admin")).header("Authorization", "Basic " + credentials).GET().build());
			assertThat(admin.statusCode()).isEqualTo(200);

			HttpResponse<String> boom = E2eHttp
				.send(E2eHttp.request(server.uri("/app/boom")).header("Accept", "text/html").GET().build());
			assertThat(boom.statusCode()).isEqualTo(500);
			assertThat(boom.body()).contains("<h1>Something went wrong</h1>");
		}
	}

}
