package dev.fastcgi.security;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class AuthorizerVariablesTests {

	@Test
	void keepsTheOrderOfFirstPutAndTheLastValue() {
		AuthorizerVariables variables = new AuthorizerVariables().put("REMOTE_USER", "alice")
			.put("TENANT_2", "acme")
			.put("_private", "x")
			.put("REMOTE_USER", "bob");
		assertThat(variables.asMap()).containsExactly(Map.entry("REMOTE_USER", "bob"), Map.entry("TENANT_2", "acme"),
				Map.entry("_private", "x"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "2FA", "X-USER", "REMOTE USER", "USER=", "ÄRGER", "USER\n" })
	void refusesNamesACgiVariableCannotHave(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> new AuthorizerVariables().put(name, "v"))
			.withMessageContaining("name");
	}

	@ParameterizedTest
	@ValueSource(strings = { "alice\r\nX-Injected: 1", "alice\n", "al\u0000ice", "tab\there", "del\u007f" })
	void refusesValuesWithControlCharacters(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> new AuthorizerVariables().put("REMOTE_USER", value))
			.withMessageContaining("REMOTE_USER")
			.withMessageContaining("control character");
	}

	@Test
	void refusesAMissingValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AuthorizerVariables().put("REMOTE_USER", null));
	}

	@Test
	void valuesTravelUtf8EncodedInTheHeaderBlock() {
		assertThat(AuthorizerVariables.headerValue("Jürgen")).isEqualTo("J\u00c3\u00bcrgen");
		assertThat(AuthorizerVariables.headerValue("plain, ascii=1")).isEqualTo("plain, ascii=1");
	}

	@Test
	void aDenialNeedsAStatusOtherThan200AndAnAllowanceTakesNoHeaders() {
		assertThatIllegalArgumentException().isThrownBy(() -> AuthorizerDecision.deny(200));
		assertThat(AuthorizerDecision.deny(302).withHeader("Location", "/login").headers())
			.containsEntry("Location", "/login");
		assertThatIllegalStateException()
			.isThrownBy(() -> AuthorizerDecision.allow().withHeader("X-A", "1"));
	}

}
