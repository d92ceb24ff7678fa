package dev.fastcgi.sample.e2e;

import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a browser sees of the sample application behind each web server, over a UNIX socket and
 * over TCP, with each server configured as the README says: nginx {@code fastcgi_pass}, lighttpd
 * {@code fastcgi.server} under {@code "/"} with {@code fix-root-scriptname}, Apache
 * {@code ProxyPass} with {@code enablereuse=on} and {@code CGIPassAuth On}.
 */
@ParameterizedClass(name = "{0} over {1}")
@MethodSource("serversAndTransports")
class WebServerScenariosIT {

	private static SampleAppProcess unixApplication;

	private static SampleAppProcess tcpApplication;

	private static WebServerProcess server;

	@Parameter(0)
	WebServerKind kind;

	@Parameter(1)
	FastCgiTransport transport;

	static Stream<Arguments> serversAndTransports() {
		return Stream.of(WebServerKind.values())
			.flatMap((kind) -> Stream.of(FastCgiTransport.values()).map((transport) -> Arguments.of(kind, transport)));
	}

	@BeforeAll
	static void startApplications() {
		unixApplication = FastCgiTransport.UNIX.startApplication();
		tcpApplication = FastCgiTransport.TCP.startApplication();
	}

	@AfterAll
	static void stopApplications() {
		try (SampleAppProcess unix = unixApplication; SampleAppProcess tcp = tcpApplication) {
			// What each web server sent was valid FastCGI: nothing made the server drop a connection.
			assertThat(unix.log()).doesNotContain("WARN");
			assertThat(tcp.log()).doesNotContain("WARN");
		}
	}

	@BeforeParameterizedClassInvocation
	static void startServer(WebServerKind kind, FastCgiTransport transport) {
		FastCgiAddress application = ((transport == FastCgiTransport.UNIX) ? unixApplication : tcpApplication).address();
		server = (kind == WebServerKind.APACHE)
				? WebServerProcess.apache(FastCgiRoutes.apacheProxyPass("/", application, "enablereuse=on"))
				: kind.startForwarding("/", application);
	}

	@AfterParameterizedClassInvocation
	static void stopServer() {
		server.close();
	}

	@Test
	void homePageIsTheStaticIndex() throws Exception {
		HttpResponse<String> response = E2eHttp.get(server.uri("/"));
		assertThat(response.statusCode()).as(server::diagnostics).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(contentType) -> assertThat(contentType).startsWith("text/html"));
		assertThat(response.body()).contains("<h1>A Spring MVC application served over FastCGI</h1>");
	}

	@Test
	void greetsInJsonWithSecurityHeaders() throws Exception {
		HttpResponse<String> response = E2eHttp.get(server.uri("/api/greeting?name=FastCGI"));
		assertThat(response.statusCode()).as(server::diagnostics).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(response.body()).isEqualTo("{\"greeting\":\"Hello, FastCGI!\"}");
	}

	@Test
	void createsItemAtLocationOnThisServerThenServesIt() throws Exception {
		HttpResponse<String> created = E2eHttp.send(E2eHttp.request(server.uri("/api/items"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"name\":\"pen\",\"quantity\":3}"))
			.build());
		assertThat(created.statusCode()).as(server::diagnostics).isEqualTo(201);
		String location = created.headers().firstValue("Location").orElseThrow();
		assertThat(location).matches(server.uri("/api/items/").toString() + "\\d+");
		HttpResponse<String> item = E2eHttp.get(URI.create(location));
		assertThat(item.statusCode()).isEqualTo(200);
		assertThat(item.body()).matches("\\{\"id\":\\d+,\"name\":\"pen\",\"quantity\":3}");
	}

	@Test
	void unknownItemIsNotFound() throws Exception {
		HttpResponse<String> response = E2eHttp.get(server.uri("/api/items/999999"));
		assertThat(response.statusCode()).as(server::diagnostics).isEqualTo(404);
		assertThat(response.body()).contains("\"status\":404").contains("\"path\":\"/api/items/999999\"");
	}

	@Test
	void echoesUrlEncodedForm() throws Exception {
		HttpResponse<String> response = E2eHttp.send(E2eHttp.request(server.uri("/form"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("name=Ada&comment=%C3%BCn%C3%AFc%C3%B6d%C3%A9+%26+more&name=Grace"))
			.build());
		assertThat(response.statusCode()).as(server::diagnostics).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"name\":[\"Ada\",\"Grace\"],\"comment\":[\"ünïcödé & more\"]}");
	}

	@Test
	void receivesUploadByteForByte() throws Exception {
		byte[] content = new byte[300_000];
		new Random(42).nextBytes(content);
		MultipartBody body = MultipartBody.file("file", "random.bin", content);
		HttpResponse<String> response = E2eHttp.send(E2eHttp.request(server.uri("/upload"))
			.header("Content-Type", body.contentType())
			.POST(BodyPublishers.ofByteArray(body.bytes()))
			.build());
		assertThat(response.statusCode()).as(server::diagnostics).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"name\":\"random.bin\",\"size\":300000,\"sha256\":\"%s\"}"
			.formatted(MultipartBody.sha256(content)));
	}

	@Test
	void failureShowsTheErrorPage() throws Exception {
		HttpResponse<String> response = E2eHttp
			.send(E2eHttp.request(server.uri("/boom")).header("Accept", "text/html").GET().build());
		assertThat(response.statusCode()).as(server::diagnostics).isEqualTo(500);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(contentType) -> assertThat(contentType).startsWith("text/html"));
		assertThat(response.body()).contains("<h1>Something went wrong</h1>").doesNotContain("Boom");
	}

	@Test
	void adminAreaAsksForCredentialsAndLetsOnlyTheAdminIn() throws Exception {
		HttpResponse<String> anonymous = E2eHttp.get(server.uri("/admin"));
		assertThat(anonymous.statusCode()).as(server::diagnostics).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).startsWith("Basic realm="));
		assertThat(getWithBasicAuth("/admin", "user", "password").statusCode()).isEqualTo(403);
		HttpResponse<String> admin = getWithBasicAuth("/admin", "admin", "admin");
		assertThat(admin.statusCode()).isEqualTo(200);
		assertThat(admin.body()).contains("\"user\":\"admin\"");
	}

	private static HttpResponse<String> getWithBasicAuth(String path, String user, String password) throws Exception {
		String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return E2eHttp.send(E2eHttp.request(server.uri(path)).header("Authorization", "Basic " + credentials).GET().build());
	}

}
