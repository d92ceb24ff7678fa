package dev.fastcgi.sample.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class ChunkedBodyInputStreamTest {

	@Test
	void joinsChunksIgnoringExtensionsAndTrailersAndStopsAfterLastChunk() throws IOException {
		InputStream wire = stream("5;name=value\r\nHello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\nNEXT");
		assertThat(new String(new ChunkedBodyInputStream(wire).readAllBytes(), StandardCharsets.ISO_8859_1))
			.isEqualTo("Hello, world");
		assertThat(new String(wire.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("NEXT");
	}

	@Test
	void readsLargeHexSizes() throws IOException {
		String data = "x".repeat(0x1A2);
		InputStream wire = stream("1a2\r\n" + data + "\r\n0\r\n\r\n");
		assertThat(new ChunkedBodyInputStream(wire).readAllBytes()).hasSize(0x1A2);
	}

	@Test
	void rejectsBadSizeLine() {
		assertThatIOException().isThrownBy(() -> new ChunkedBodyInputStream(stream("zz\r\n")).readAllBytes())
			.withMessageContaining("zz");
	}

	@Test
	void rejectsMissingCrlfAfterChunk() {
		assertThatIOException().isThrownBy(() -> new ChunkedBodyInputStream(stream("2\r\nabc\r\n0\r\n\r\n")).readAllBytes())
			.withMessageContaining("Expected CRLF");
	}

	@Test
	void rejectsConnectionClosedInsideChunk() {
		assertThatIOException().isThrownBy(() -> new ChunkedBodyInputStream(stream("5\r\nab")).readAllBytes());
	}

	private static InputStream stream(String wire) {
		return new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1));
	}

}
