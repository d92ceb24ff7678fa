package dev.fastcgi.sample.e2e;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nginx workers run as {@code nobody} (group {@code nogroup}) when nginx starts as root, as in
 * these tests; with {@code www-data} it is the same story. The socket the application creates
 * must let them connect: the documented {@code fastcgi.socket-permissions} (and
 * {@code fastcgi.socket-group}) are all it takes.
 */
class SocketPermissionsIT {

	@Test
	void workersCannotConnectToASocketWithTheProcessUmask() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.startOnUnixSocketWithPermissionsFromArgs();
				WebServerProcess nginx = WebServerKind.NGINX.startForwarding("/", app.address())) {
			Path socket = ((FastCgiAddress.Unix) app.address()).socket();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).doesNotContain("rw-rw-rw-")
				.endsWith("r-x");
			HttpResponse<String> response = E2eHttp.get(nginx.uri("/api/greeting"));
			assertThat(response.statusCode()).as(nginx::diagnostics).isEqualTo(502);
			assertThat(nginx.errorLog()).contains("connect() to unix:" + socket + " failed (13: Permission denied)");
		}
	}

	@ParameterizedTest(name = "{0} group {1}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			666 | -       | rw-rw-rw-
			660 | nogroup | rw-rw----
			""")
	void workersConnectWithTheDocumentedPermissionSettings(String permissions, String group, String mode)
			throws Exception {
		String[] args = (group != null)
				? new String[] { "--fastcgi.socket-permissions=" + permissions, "--fastcgi.socket-group=" + group }
				: new String[] { "--fastcgi.socket-permissions=" + permissions };
		try (SampleAppProcess app = SampleAppProcess.startOnUnixSocketWithPermissionsFromArgs(args);
				WebServerProcess nginx = WebServerKind.NGINX.startForwarding("/", app.address())) {
			Path socket = ((FastCgiAddress.Unix) app.address()).socket();
			PosixFileAttributes attributes = Files.readAttributes(socket, PosixFileAttributes.class);
			assertThat(PosixFilePermissions.toString(attributes.permissions())).isEqualTo(mode);
			if (group != null) {
				assertThat(attributes.group().getName()).isEqualTo(group);
			}
			HttpResponse<String> response = E2eHttp.get(nginx.uri("/api/greeting"));
			assertThat(response.statusCode()).as(nginx::diagnostics).isEqualTo(200);
			assertThat(response.body()).isEqualTo("{\"greeting\":\"Hello, World!\"}");
		}
	}

}
