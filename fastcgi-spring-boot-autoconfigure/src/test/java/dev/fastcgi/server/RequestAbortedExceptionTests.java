package dev.fastcgi.server;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestAbortedExceptionTests {

	@Test
	void anAbortWrappedByTheApplicationIsStillAnAbort() {
		RequestAbortedException abort = new RequestAbortedException("gone");
		assertThat(RequestAbortedException.isCauseOf(abort)).isTrue();
		assertThat(RequestAbortedException.isCauseOf(new IllegalStateException(new UncheckedIOException(abort))))
			.isTrue();
	}

	@Test
	void otherFailuresAreNotAborts() {
		assertThat(RequestAbortedException.isCauseOf(new IOException("disk full", new IllegalStateException())))
			.isFalse();
		assertThat(RequestAbortedException.isCauseOf(null)).isFalse();
	}

}
