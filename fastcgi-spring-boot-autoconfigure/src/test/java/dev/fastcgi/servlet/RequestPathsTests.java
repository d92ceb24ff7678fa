package dev.fastcgi.servlet;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RequestPathsTests {

	@ParameterizedTest
	@CsvSource({ "/, /", "/a/b, /a/b", "/a%20b, /a b", "/a+b, /a+b", "/a//b///c, /a/b/c", "/a/./b, /a/b",
			"/a/b/../c, /a/c", "/a/b/.., /a/", "/a/., /a/", "/a/b/, /a/b/", "/x/%2e%2E/y/%2e./z, /z",
			"/a;jsessionid=1234/b;x=y, /a/b", "/a/b;v=1.1, /a/b", "/a%3Bb, /a;b", "/%41%62, /Ab",
			"/caf%C3%A9, /café", "/.hidden/x, /.hidden/x" })
	void decodesAndNormalizes(String raw, String expected) {
		assertThat(RequestPaths.decode(raw)).isEqualTo(expected);
	}

	@Test
	void decodesEscapedUtf8() {
		assertThat(RequestPaths.decode("/stra%C3%9Fe/%E6%97%A5%E6%9C%AC")).isEqualTo("/straße/日本");
	}

	/** Tomcat's HTTP parser answers 400 to these; nginx and lighttpd pass them on in REQUEST_URI. */
	@ParameterizedTest
	@ValueSource(strings = { "/stra\u00c3\u009fe", "/a b", "/a\"b", "/a<b>", "/a^b", "/a`b", "/a{b}", "/a|b", "/a\tb" })
	void rejectsCharactersTomcatDoesNotAcceptInARequestTarget(String raw) {
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> RequestPaths.decode(raw));
	}

	@Test
	void rawPrefixKeepsPathParametersAndDoubleSlashes() {
		assertThat(RequestPaths.rawPrefix("/ctx;jsessionid=1/page", "/ctx")).isEqualTo("/ctx;jsessionid=1");
		assertThat(RequestPaths.rawPrefix("//ctx/page", "/ctx")).isEqualTo("//ctx");
		assertThat(RequestPaths.rawPrefix("/c%74x", "/ctx")).isEqualTo("/c%74x");
		assertThat(RequestPaths.rawPrefix("/ctx/page", "")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/a%2Fb", "/a%2fb", "/..", "/a/../..", "/a/%2e%2e/%2E%2e/b", "/a%zz", "/a%2", "/a%",
			"/a%00b", "/a%5Cb", "/a\\b", "/%C3%28", "/%FF", "a/b", "" })
	void rejectsWhatTomcatRejects(String raw) {
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> RequestPaths.decode(raw));
	}

	@Test
	void encodeIsUndoneByDecode() {
		String decodedBytes = new String("/a b/%;?/é".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
		String encoded = RequestPaths.encode(decodedBytes);
		assertThat(encoded).isEqualTo("/a%20b/%25%3B%3F/%C3%A9");
		assertThat(RequestPaths.decode(encoded)).isEqualTo("/a b/%;?/é");
	}

}
