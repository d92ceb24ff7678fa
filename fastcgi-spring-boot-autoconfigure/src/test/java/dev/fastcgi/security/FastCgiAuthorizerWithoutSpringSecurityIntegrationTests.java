package dev.fastcgi.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.client.FastCgiClient.Response;
import dev.fastcgi.protocol.ProtocolStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An authorizer-only application without Spring Security: its {@link FastCgiAuthorizer} bean
 * decides, over the real protocol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastCgiAuthorizerWithoutSpringSecurityIntegrationTests {

	private AuthorizerApplication application;

	@BeforeAll
	void start() {
		this.application = AuthorizerApplication.start(TokenApplication.class,
				(name) -> name.startsWith("org.springframework.security."), "--fastcgi.mode=authorizer");
	}

	@AfterAll
	void stop() {
		this.application.close();
	}

	@Test
	void theAuthorizerBeanAllowsWithItsVariables() throws Exception {
		Response response = send(Request.authorizer("GET", "/page").header("X-Token", "let-me-in"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Variable-REMOTE_USER")).isEqualTo("token-user");
		assertThat(response.body()).isEmpty();
	}

	@Test
	void theAuthorizerBeansDenialGoesOutWithItsHeaders() throws Exception {
		Response response = send(Request.authorizer("GET", "/page"));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(response.headers().keySet()).noneMatch((name) -> name.startsWith("Variable-"));
	}

	@Test
	void aResponderRequestIsRefusedByAnAuthorizerOnlyApplication() throws Exception {
		Response response = send(Request.get("/page"));
		assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.UNKNOWN_ROLE);
	}

	private Response send(Request request) throws Exception {
		try (FastCgiClient client = this.application.client()) {
			return client.send(request);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TokenApplication {

		@Bean
		FastCgiAuthorizer tokenAuthorizer() {
			return (request) -> "let-me-in".equals(request.getHeader("X-Token"))
					? AuthorizerDecision.allow(new AuthorizerVariables().put("REMOTE_USER", "token-user"))
					: AuthorizerDecision.deny(401).withHeader("WWW-Authenticate", "Bearer");
		}

		@RestController
		static class Controller {

			@GetMapping("/page")
			String page() {
				return "page";
			}

		}

	}

}
