package dev.fastcgi.sample.e2e;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application (profile {@code authorizer}) deciding for real web servers, by the
 * rules of its SecurityConfiguration ({@code /admin/**} needs role ADMIN, over HTTP Basic).
 */
class AuthorizerIT {

	private static final String[] AUTHORIZER_PROFILE = { "--spring.profiles.active=authorizer" };

	@Test
	void lighttpdServesAStaticFileOnlyWhenTheApplicationAllows() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.startOnUnixSocket(AUTHORIZER_PROFILE);
				WebServerProcess lighttpd = WebServerProcess.lighttpd("""
						fastcgi.server = ( "/admin/" => ((
							"socket" => "%s",
							"mode" => "authorizer",
							"docroot" => "@DIR@/www",
							"check-local" => "disable",
						)) )
						""".formatted(socket(app)))) {
			Path report = lighttpd.docroot().resolve("admin/report.txt");
			Files.createDirectories(report.getParent());
			Files.writeString(report, "quarterly figures\n");
			URI uri = lighttpd.uri("/admin/report.txt");

			HttpResponse<String> anonymous = E2eHttp.get(uri);
			assertThat(anonymous.statusCode()).as(lighttpd::diagnostics).isEqualTo(401);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
					(challenge) -> assertThat(challenge).startsWith("Basic realm=\"Realm\""));

			assertThat(get(uri, "user", "password").statusCode()).isEqualTo(403);

			HttpResponse<String> admin = get(uri, "admin", "admin");
			assertThat(admin.statusCode()).as(app::log).isEqualTo(200);
			assertThat(admin.body()).isEqualTo("quarterly figures\n");
			// lighttpd keeps the authorizer's variables to itself
			assertThat(admin.headers().firstValue("Variable-REMOTE_USER")).isEmpty();
		}
	}

	@Test
	void lighttpdChainsTheAuthorizerToTheResponderOfTheSameApplication() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.startOnUnixSocket(AUTHORIZER_PROFILE);
				WebServerProcess lighttpd = WebServerProcess.lighttpd("""
						fastcgi.server = ( "/admin/" => (
							"authorizer" => ("socket" => "%1$s", "mode" => "authorizer", "check-local" => "disable"),
							"responder" => ("socket" => "%1$s", "mode" => "responder", "check-local" => "disable"),
						) )
						""".formatted(socket(app)))) {
			URI uri = lighttpd.uri("/admin/whoami");
			assertThat(E2eHttp.get(uri).statusCode()).as(lighttpd::diagnostics).isEqualTo(401);
			assertThat(get(uri, "user", "password").statusCode()).isEqualTo(403);
			HttpResponse<String> admin = get(uri, "admin", "admin");
			assertThat(admin.statusCode()).as(app::log).isEqualTo(200);
			// AUTHORITIES exists only as the variable the authorizer answer handed to the responder
			assertThat(admin.body()).isEqualTo("{\"user\":\"admin\",\"authorizerAuthorities\":\"ROLE_ADMIN\"}");
		}
	}

	/**
	 * Apache checks the password with one provider (AUTHENTICATOR) and {@code Require} with
	 * another (AUTHORIZER), or both with one combined {@code authnz} provider. The responder then
	 * gets no Authorization header, only REMOTE_USER and the variables.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "two providers", "one authnz provider" })
	void apacheAuthenticatesAndAuthorizesThroughTheApplication(String providers) throws Exception {
		try (SampleAppProcess app = SampleAppProcess.startOnLoopbackPort(AUTHORIZER_PROFILE);
				WebServerProcess apache = WebServerProcess
					.apache(apacheConfig(app, providers.equals("two providers")))) {
			URI uri = apache.uri("/admin/whoami");
			HttpResponse<String> anonymous = E2eHttp.get(uri);
			assertThat(anonymous.statusCode()).as(apache::diagnostics).isEqualTo(401);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Sample\"");
			assertThat(get(uri, "admin", "wrong").statusCode()).isEqualTo(401);
			// Apache answers 401 whichever phase the application denied
			assertThat(get(uri, "user", "password").statusCode()).isEqualTo(401);
			HttpResponse<String> admin = get(uri, "admin", "admin");
			assertThat(admin.statusCode()).as(() -> apache.diagnostics() + app.log()).isEqualTo(200);
			assertThat(admin.body()).isEqualTo("{\"user\":\"admin\",\"authorizerAuthorities\":\"ROLE_ADMIN\"}");
		}
	}

	private static String apacheConfig(SampleAppProcess app, boolean twoProviders) {
		String backend = "fcgi://127.0.0.1:" + ((FastCgiAddress.Tcp) app.address()).port() + "/";
		String providers = twoProviders ? """
				AuthnzFcgiDefineProvider authn SampleAuthn %1$s
				AuthnzFcgiDefineProvider authz SampleAuthz %1$s
				""".formatted(backend) : """
				AuthnzFcgiDefineProvider authnz SampleAuthn %1$s
				""".formatted(backend);
		return """
				LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
				LoadModule auth_basic_module /usr/lib/apache2/modules/mod_auth_basic.so
				LoadModule authnz_fcgi_module /usr/lib/apache2/modules/mod_authnz_fcgi.so
				%s
				<Location "/admin/">
					AuthType Basic
					AuthName "Sample"
					AuthBasicProvider SampleAuthn
					Require %s
				</Location>
				%s
				""".formatted(providers, twoProviders ? "SampleAuthz" : "SampleAuthn",
				FastCgiRoutes.apacheProxyPass("/admin/", app.address()));
	}

	private static String socket(SampleAppProcess app) {
		return ((FastCgiAddress.Unix) app.address()).socket().toString();
	}

	private static HttpResponse<String> get(URI uri, String user, String password) throws Exception {
		String credentials = Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return E2eHttp.send(E2eHttp.request(uri).header("Authorization", "Basic " + credentials).GET().build());
	}

}
