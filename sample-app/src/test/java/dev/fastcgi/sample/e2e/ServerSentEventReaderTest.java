package dev.fastcgi.sample.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.fastcgi.sample.e2e.ServerSentEventReader.ServerSentEvent;

import static org.assertj.core.api.Assertions.assertThat;

class ServerSentEventReaderTest {

	@Test
	void readsFieldsOfEachEventAndSkipsComments() throws IOException {
		ServerSentEventReader reader = reader("""
				: a comment
				id: 1
				event: tick
				data: first line
				data: second line

				data:no space
				retry: 1000

				""");
		assertThat(reader.next()).isEqualTo(new ServerSentEvent("1", "tick", "first line\nsecond line"));
		assertThat(reader.next()).isEqualTo(new ServerSentEvent(null, null, "no space"));
		assertThat(reader.next()).isNull();
	}

	@Test
	void acceptsCrlfLineEnds() throws IOException {
		assertThat(reader("id: 7\r\ndata: x\r\n\r\n").next()).isEqualTo(new ServerSentEvent("7", null, "x"));
	}

	@Test
	void returnsAnEventAsSoonAsItIsCompleteWithoutWaitingForMore() throws IOException {
		try (PipedOutputStream server = new PipedOutputStream(); PipedInputStream body = new PipedInputStream(server)) {
			ServerSentEventReader reader = new ServerSentEventReader(body);
			server.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
			server.flush();
			assertThat(reader.next()).isEqualTo(new ServerSentEvent(null, null, "one"));
		}
	}

	private static ServerSentEventReader reader(String body) {
		InputStream in = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
		return new ServerSentEventReader(in);
	}

}
