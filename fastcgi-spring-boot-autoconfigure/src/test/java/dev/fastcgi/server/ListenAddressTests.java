package dev.fastcgi.server;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code fastcgi.socket} syntax.
 */
class ListenAddressTests {

	static Stream<Arguments> acceptedForms() {
		return Stream.of(Arguments.of("fd:0", new ListenAddress.InheritedChannel()),
				Arguments.of(" fd:0 ", new ListenAddress.InheritedChannel()),
				Arguments.of("systemd", new ListenAddress.Systemd()),
				Arguments.of("unix:/run/app/fcgi.sock", new ListenAddress.UnixSocket(Path.of("/run/app/fcgi.sock"))),
				Arguments.of("/run/app/fcgi.sock", new ListenAddress.UnixSocket(Path.of("/run/app/fcgi.sock"))),
				Arguments.of("tcp:127.0.0.1:9000", new ListenAddress.Tcp("127.0.0.1", 9000)),
				Arguments.of("127.0.0.1:9000", new ListenAddress.Tcp("127.0.0.1", 9000)),
				Arguments.of("localhost:0", new ListenAddress.Tcp("localhost", 0)),
				Arguments.of("0.0.0.0:65535", new ListenAddress.Tcp("0.0.0.0", 65535)),
				Arguments.of("[::1]:9000", new ListenAddress.Tcp("::1", 9000)),
				Arguments.of("tcp:[::]:9001", new ListenAddress.Tcp("::", 9001)));
	}

	@ParameterizedTest(name = "''{0}''")
	@MethodSource("acceptedForms")
	void parsesEveryAcceptedForm(String text, ListenAddress expected) {
		ListenAddress parsed = ListenAddress.parse(text);
		assertThat(parsed).isEqualTo(expected);
		assertThat(ListenAddress.parse(parsed.toString())).as("its description parses back").isEqualTo(parsed);
	}

	@ParameterizedTest(name = "''{0}''")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			""                | it is empty
			127.0.0.1         | needs a port, as HOST:PORT
			tcp:localhost     | needs a port, as HOST:PORT
			127.0.0.1:70000   | port 70000 is outside 0..65535
			127.0.0.1:-1      | port -1 is outside 0..65535
			127.0.0.1:http    | 'http' is not a port number
			127.0.0.1:        | '' is not a port number
			:9000             | the host is missing
			unix:run/app.sock | a UNIX socket path must be absolute
			unix:             | a UNIX socket path must be absolute
			fd:1              | only file descriptor 0 can be inherited
			fd:3              | only file descriptor 0 can be inherited
			[::1              | an IPv6 address must be written [ADDRESS]:PORT
			[::1]9000         | an IPv6 address must be written [ADDRESS]:PORT
			::1:9000          | an IPv6 address must be written [ADDRESS]:PORT
			[]:9000           | the host is missing
			""")
	void rejectsMalformedFormsSayingWhatIsWrong(String text, String reason) {
		assertThatIllegalArgumentException().isThrownBy(() -> ListenAddress.parse(text))
			.withMessageStartingWith("'" + text + "' is not a valid FastCGI socket: ")
			.withMessageContaining(reason)
			.withMessageContaining("Valid forms: " + ListenAddress.SYNTAX);
	}

}
