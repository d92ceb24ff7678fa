package dev.fastcgi.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.fastcgi.client.FastCgiClient;
import dev.fastcgi.client.FastCgiClient.Request;
import dev.fastcgi.client.FastCgiClient.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorizer requests decided by an application's own Spring Security rules, sent over the real
 * protocol the way lighttpd (the client's headers) and Apache mod_authnz_fcgi (REMOTE_USER,
 * REMOTE_PASSWD, FCGI_APACHE_ROLE) send them.
 */
class SpringSecurityAuthorizerIntegrationTests {

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class ByDefault {

		private AuthorizerApplication application;

		@BeforeAll
		void start() {
			this.application = AuthorizerApplication.start(SecuredApplication.class, (name) -> false,
					"--fastcgi.mode=responder,authorizer");
		}

		@AfterAll
		void stop() {
			this.application.close();
		}

		@Test
		void withoutCredentialsTheChainsChallengeIsTheAnswer() throws Exception {
			Response response = send(Request.authorizer("GET", "/admin/report"));
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.header("WWW-Authenticate")).startsWith("Basic realm=\"Realm\"");
			assertThat(response.headers().keySet()).noneMatch((name) -> name.startsWith("Variable-"));
		}

		@Test
		void aUserWithoutTheRoleIsForbidden() throws Exception {
			Response response = send(
					Request.authorizer("GET", "/admin/report").header("Authorization", basic("user", "password")));
			assertThat(response.status()).isEqualTo(403);
		}

		@Test
		void anAllowedRequestIsAnsweredWithVariablesAndNeverReachesTheController() throws Exception {
			int calls = SecuredApplication.Controller.calls.get();
			Response response = send(
					Request.authorizer("GET", "/admin/report").header("Authorization", basic("admin", "admin")));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("Variable-REMOTE_USER")).isEqualTo("admin");
			assertThat(response.header("Variable-AUTH_TYPE")).isEqualTo("Basic");
			assertThat(response.header("Variable-AUTHORITIES")).isEqualTo("ROLE_ADMIN");
			assertThat(response.body()).isEmpty();
			assertThat(SecuredApplication.Controller.calls.get()).isEqualTo(calls);
		}

		@Test
		void anAnonymousRequestThePathPermitsIsAllowedWithoutVariables() throws Exception {
			Response response = send(Request.authorizer("GET", "/open/page"));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.headers().keySet()).noneMatch((name) -> name.startsWith("Variable-"));
		}

		@Test
		void theAnswerComesAsSoonAsTheParamsEndOnAConnectionKeptOpen() throws Exception {
			try (FastCgiClient client = this.application.client()) {
				// no STDIN follows the params; with KEEP_CONN the server cannot wait for the connection to end either
				Response response = client.send(Request.authorizer("GET", "/admin/report")
					.header("Authorization", basic("admin", "admin"))
					.keepConnection(true));
				assertThat(response.status()).isEqualTo(200);
				assertThat(client.send(Request.authorizer("GET", "/admin/report").keepConnection(true)).status())
					.isEqualTo(401);
				assertThat(client.connectionsOpened()).isEqualTo(1);
			}
		}

		@Test
		void authorizerRequestsAreExemptFromCsrfButRespondersAreNot() throws Exception {
			Request authorizer = Request.authorizer("POST", "/admin/report")
				.header("Authorization", basic("admin", "admin"));
			assertThat(send(authorizer).status()).isEqualTo(200);
			Request responder = Request.post("/admin/report", "text/plain", "x".getBytes(StandardCharsets.UTF_8))
				.header("Authorization", basic("admin", "admin"));
			assertThat(send(responder).status()).isEqualTo(403);
		}

		@Test
		void apacheAuthenticatorChecksThePassword() throws Exception {
			Response allowed = send(apacheAuthenticator("/admin/report", "admin", "admin"));
			assertThat(allowed.status()).isEqualTo(200);
			assertThat(allowed.header("Variable-REMOTE_USER")).isEqualTo("admin");
			assertThat(allowed.header("Variable-AUTH_TYPE")).isEqualTo("Basic");
		}

		@Test
		void apacheAuthenticatorRefusesAWrongPasswordEvenWhereThePathIsOpen() throws Exception {
			Response response = send(apacheAuthenticator("/open/page", "admin", "wrong"));
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.headers().keySet()).noneMatch((name) -> name.startsWith("Variable-"));
		}

		@Test
		void apacheAuthorizerTrustsRemoteUserAndDecidesWithItsAuthorities() throws Exception {
			assertThat(send(apacheAuthorizer("/admin/report", "admin")).status()).isEqualTo(200);
			assertThat(send(apacheAuthorizer("/admin/report", "admin")).header("Variable-AUTHORITIES"))
				.isEqualTo("ROLE_ADMIN");
			assertThat(send(apacheAuthorizer("/admin/report", "user")).status()).isEqualTo(403);
			assertThat(send(apacheAuthorizer("/admin/report", "stranger")).status()).isEqualTo(401);
		}

		@Test
		void apacheCombinedAuthnzChecksThePasswordThenThePath() throws Exception {
			assertThat(send(apacheAuthnz("/admin/report", "admin", "admin")).status()).isEqualTo(200);
			assertThat(send(apacheAuthnz("/admin/report", "user", "password")).status()).isEqualTo(403);
			assertThat(send(apacheAuthnz("/admin/report", "user", "wrong")).status()).isEqualTo(401);
		}

		@Test
		void decisionsAreCounted() throws Exception {
			MeterRegistry registry = this.application.getBean(MeterRegistry.class);
			double allowed = decisions(registry, "allowed");
			double denied = decisions(registry, "denied");
			send(Request.authorizer("GET", "/admin/report").header("Authorization", basic("admin", "admin")));
			send(Request.authorizer("GET", "/admin/report"));
			send(Request.authorizer("GET", "/admin/report").header("Authorization", basic("user", "password")));
			send(Request.get("/open/page"));
			assertThat(decisions(registry, "allowed")).isEqualTo(allowed + 1);
			assertThat(decisions(registry, "denied")).isEqualTo(denied + 2);
		}

		private Response send(Request request) throws Exception {
			try (FastCgiClient client = this.application.client()) {
				return client.send(request);
			}
		}

	}

	/** An application that opted out of both defaults. */
	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class OptedOut {

		private AuthorizerApplication application;

		@BeforeAll
		void start() {
			this.application = AuthorizerApplication.start(SecuredApplication.class, (name) -> false,
					"--fastcgi.mode=authorizer", "--fastcgi.authorizer.dispatch-to-application=true",
					"--fastcgi.authorizer.security.enabled=false");
		}

		@AfterAll
		void stop() {
			this.application.close();
		}

		@Test
		void anAllowedRequestReachesTheControllerWithItsVariables() throws Exception {
			Response response = send(
					Request.authorizer("GET", "/admin/report").header("Authorization", basic("admin", "admin")));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyAsString()).isEqualTo("report");
			assertThat(response.header("Variable-REMOTE_USER")).isEqualTo("admin");
		}

		@Test
		void apacheCredentialsAreNotCheckedWithoutTheConfigurer() throws Exception {
			assertThat(send(apacheAuthenticator("/admin/report", "admin", "admin")).status()).isEqualTo(401);
		}

		private Response send(Request request) throws Exception {
			try (FastCgiClient client = this.application.client()) {
				return client.send(request);
			}
		}

	}

	private static double decisions(MeterRegistry registry, String outcome) {
		return registry.get("fastcgi.authorizer.decisions").tag("outcome", outcome).counter().count();
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/** What Apache sends an {@code AuthBasicProvider} of type authn: no Authorization header. */
	private static Request apacheAuthenticator(String target, String user, String password) {
		return apacheAuthnz(target, user, password).param("FCGI_APACHE_ROLE", "AUTHENTICATOR");
	}

	/** What Apache sends a {@code Require} provider of type authz: the user it authenticated. */
	private static Request apacheAuthorizer(String target, String user) {
		return Request.authorizer("GET", target)
			.setParam("REMOTE_USER", user)
			.param("AUTH_TYPE", "Basic")
			.param("FCGI_APACHE_ROLE", "AUTHORIZER");
	}

	/** What Apache sends a combined provider of type authnz: credentials, no FCGI_APACHE_ROLE. */
	private static Request apacheAuthnz(String target, String user, String password) {
		return Request.authorizer("GET", target)
			.setParam("REMOTE_USER", user)
			.param("AUTH_TYPE", "Basic")
			.param("REMOTE_PASSWD", password);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class SecuredApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/admin/**")
					.hasRole("ADMIN")
					.requestMatchers("/open/**", "/error")
					.permitAll()
					.anyRequest()
					.authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build(),
					User.withUsername("admin").password("{noop}admin").roles("ADMIN").build());
		}

		/** The roles; Spring Security 7 adds authorities such as FACTOR_PASSWORD for how one logged in. */
		@Bean
		AuthorizerVariablesContributor authorities() {
			return (authentication, variables) -> variables.put("AUTHORITIES",
					AuthorityUtils.authorityListToSet(authentication.getAuthorities())
						.stream()
						.filter((authority) -> authority.startsWith("ROLE_"))
						.sorted()
						.collect(Collectors.joining(",")));
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@RestController
		static class Controller {

			static final AtomicInteger calls = new AtomicInteger();

			@GetMapping({ "/admin/report", "/open/page" })
			String report() {
				calls.incrementAndGet();
				return "report";
			}

			@PostMapping("/admin/report")
			String post() {
				calls.incrementAndGet();
				return "posted";
			}

		}

	}

}
