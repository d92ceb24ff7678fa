package dev.fastcgi.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.fastcgi.client.FastCgiClient.Response;
import dev.fastcgi.protocol.ProtocolStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The CGI view of a response's STDOUT.
 */
class ResponseTests {

	@ParameterizedTest
	@ValueSource(strings = { "\n", "\r\n" })
	void headerLinesEndAtTheFirstBlankLineWhateverTheLineEnd(String lineEnd) {
		Response response = response("Status: 404 Not Found" + lineEnd + "Content-Type: text/plain" + lineEnd + lineEnd
				+ "gone" + lineEnd + lineEnd + "Not-A-Header: x");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.headers()).containsOnlyKeys("Status", "Content-Type");
		assertThat(response.header("content-type")).isEqualTo("text/plain");
		assertThat(response.bodyAsString()).isEqualTo("gone" + lineEnd + lineEnd + "Not-A-Header: x");
	}

	@Test
	void lineEndsMayBeMixed() {
		Response response = response("Status: 302\nLocation: /there\r\n\nbody");
		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).isEqualTo("/there");
		assertThat(response.bodyAsString()).isEqualTo("body");
	}

	@Test
	void withoutStatusTheStatusIs200() {
		Response response = response("Content-Type: text/html\r\n\r\n<p>");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.bodyAsString()).isEqualTo("<p>");
	}

	@Test
	void headersKeepEveryValueInOrderAndAreLookedUpIgnoringCase() {
		Response response = response("Set-Cookie: a=1\r\nX-Other: o\r\nset-cookie: b=2\r\nSET-COOKIE:c=3 \r\n\r\n");
		assertThat(response.headers("Set-Cookie")).containsExactly("a=1", "b=2", "c=3");
		assertThat(response.header("SET-cookie")).isEqualTo("a=1");
		assertThat(response.headers("Missing")).isEmpty();
		assertThat(response.header("Missing")).isNull();
		assertThat(response.body()).isEmpty();
	}

	@Test
	void aHeaderValueMayContainColons() {
		assertThat(response("Location: http://host:8080/x\n\n").header("Location")).isEqualTo("http://host:8080/x");
	}

	@Test
	void stdoutWithoutABlankLineHasNoHeaderBlock() {
		Response response = response("Status: 500\r\nno end");
		assertThat(response.headers()).isEmpty();
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.bodyAsString()).isEqualTo("Status: 500\r\nno end");
	}

	@Test
	void emptyStdoutIsAnEmpty200() {
		Response response = response("");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.headers()).isEmpty();
		assertThat(response.body()).isEmpty();
	}

	@Test
	void aStatusNotStartingWithANumberIsReportedWhenAskedFor() {
		Response response = response("Status: OK\n\n");
		assertThatIllegalStateException().isThrownBy(response::status).withMessageContaining("'OK'");
	}

	@Test
	void bodyAsStringUsesTheCharsetOfTheContentTypeElseUtf8() {
		byte[] latin1 = "Content-Type: text/plain; charset=ISO-8859-1\n\ncaf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
		assertThat(new Response(1, 0, 0, latin1, "").bodyAsString()).isEqualTo("caf\u00e9");
		byte[] utf8 = "Content-Type: text/plain\n\ncaf\u00e9".getBytes(StandardCharsets.UTF_8);
		assertThat(new Response(1, 0, 0, utf8, "").bodyAsString()).isEqualTo("caf\u00e9");
		byte[] malformedType = "Content-Type: ;;\n\ncaf\u00e9".getBytes(StandardCharsets.UTF_8);
		assertThat(new Response(1, 0, 0, malformedType, "").bodyAsString()).isEqualTo("caf\u00e9");
	}

	@Test
	void stdoutIsKeptWholeAndEndRequestAsSent() {
		byte[] stdout = "Status: 201\n\nmade".getBytes(StandardCharsets.US_ASCII);
		Response response = new Response(7, 0xFFFFFFFFL, 3, stdout, "warning");
		assertThat(response.requestId()).isEqualTo(7);
		assertThat(response.appStatus()).isEqualTo(0xFFFFFFFFL);
		assertThat(response.protocolStatus()).isEqualTo(ProtocolStatus.UNKNOWN_ROLE);
		assertThat(response.stdout()).isEqualTo(stdout);
		assertThat(response.stderr()).isEqualTo("warning");
		assertThat(response.toString()).contains("request 7", "201", "4 body bytes", "warning");
	}

	@Test
	void aProtocolStatusFastCgiDoesNotDefineIsNull() {
		assertThat(new Response(1, 0, 9, new byte[0], "").protocolStatus()).isNull();
	}

	@Test
	void headersAndBodyCannotBeChangedFromOutside() {
		Response response = response("A: 1\n\nbody");
		response.body()[0] = 'X';
		response.stdout()[0] = 'X';
		assertThat(response.bodyAsString()).isEqualTo("body");
		assertThat(response.stdout()[0]).isEqualTo((byte) 'A');
		assertThat(response.headers()).isUnmodifiable();
		assertThat(response.headers("A")).isEqualTo(List.of("1")).isUnmodifiable();
	}

	private static Response response(String stdout) {
		return new Response(1, 0, 0, stdout.getBytes(StandardCharsets.ISO_8859_1), "");
	}

}
