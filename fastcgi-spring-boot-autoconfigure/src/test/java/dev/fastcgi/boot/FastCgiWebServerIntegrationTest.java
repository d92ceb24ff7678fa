package dev.fastcgi.boot;

import java.nio.charset.StandardCharsets;

import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.fastcgi.client.FastCgiClient;

import static org.assertj.core.api.Assertions.assertThat;

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

	private int start() {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		// Tomcat is on the test classpath for the tests of running beside it
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader(Tomcat.class)));
		this.context = application.run("--fastcgi.socket=tcp:127.0.0.1:0");
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration" })
	static class TestApplication {

		@RestController
		static class HelloController {

			@GetMapping("/hello")
			String hello(@RequestParam String name) {
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

	}

}
