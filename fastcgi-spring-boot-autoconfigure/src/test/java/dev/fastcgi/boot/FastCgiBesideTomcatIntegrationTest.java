package dev.fastcgi.boot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.fastcgi.client.FastCgiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Tomcat on the classpath, Tomcat serves HTTP and the FastCGI listener beside it serves the
 * same controllers, filters and error handling.
 */
class FastCgiBesideTomcatIntegrationTest {

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void tomcatAndFastCgiServeTheSameApplication() throws Exception {
		SpringApplication application = new SpringApplication(BesideApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		this.context = application.run("--server.port=0", "--fastcgi.socket=tcp:127.0.0.1:0",
				"--server.servlet.context-path=/ctx");
		int httpPort = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		int fastCgiPort = this.context.getBean(FastCgiBesideServletContainer.class).getWebServer().getPort();
		assertThat(fastCgiPort).isPositive().isNotEqualTo(httpPort);

		HttpResponse<String> overHttp = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ctx/where")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(overHttp.statusCode()).isEqualTo(200);
		assertThat(overHttp.body()).isEqualTo("served /ctx/where");
		try (FastCgiClient client = FastCgiClient.tcp("127.0.0.1", fastCgiPort)) {
			FastCgiClient.Response overFastCgi = client.send(FastCgiClient.Request.get("/ctx/where"));
			assertThat(overFastCgi.status()).isEqualTo(200);
			assertThat(overFastCgi.bodyAsString()).isEqualTo(overHttp.body());
			assertThat(client.send(FastCgiClient.Request.get("/ctx/missing")).status()).isEqualTo(404);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(AutoConfigurationWithoutSecurity.class)
	static class BesideApplication {

		@RestController
		static class WhereController {

			@GetMapping("/where")
			String where(jakarta.servlet.http.HttpServletRequest request) {
				return "served " + request.getRequestURI();
			}

		}

	}

}
