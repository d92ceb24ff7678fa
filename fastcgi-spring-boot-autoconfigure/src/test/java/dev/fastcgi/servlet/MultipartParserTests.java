package dev.fastcgi.servlet;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.MultipartConfigElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class MultipartParserTests {

	private static final String BODY = "preamble\r\n--XyZ\r\n"
			+ "Content-Disposition: form-data; name=\"field\"\r\n\r\nvalue with \r\n--XyNot a boundary\r\n--XyZ\r\n"
			+ "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\dir\\r\u00e9sum\u00e9 \\\"1\\\".txt\"\r\n"
			+ "Content-Type: text/plain\r\n\r\n" + "0123456789".repeat(5) + "\r\n--XyZ--\r\nepilogue";

	@TempDir
	Path location;

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 7, 64, 100000 })
	void partsAreTheSameWhateverTheReadSizes(int chunkSize) throws IOException {
		List<MultipartPart> parts = parse(BODY, chunkSize, new MultipartConfigElement("", -1, -1, 40));
		assertThat(parts).hasSize(2);
		MultipartPart field = parts.get(0);
		assertThat(field.isFormField()).isTrue();
		assertThat(field.getName()).isEqualTo("field");
		assertThat(field.contentAsString(StandardCharsets.UTF_8)).isEqualTo("value with \r\n--XyNot a boundary");
		MultipartPart file = parts.get(1);
		assertThat(file.getSubmittedFileName()).isEqualTo("C:\\dir\\r\u00e9sum\u00e9 \"1\".txt");
		assertThat(file.getContentType()).isEqualTo("text/plain");
		assertThat(file.getSize()).isEqualTo(50);
		assertThat(new String(file.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
			.isEqualTo("0123456789".repeat(5));
		try (var files = Files.list(this.location)) {
			assertThat(files).hasSize(1);
		}
		file.cleanUp();
		try (var files = Files.list(this.location)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void fileLargerThanMaxFileSizeIsRefusedAndLeavesNoFile() throws IOException {
		List<MultipartPart> parts = new ArrayList<>();
		assertThatIllegalStateException()
			.isThrownBy(() -> parser(BODY, 7, new MultipartConfigElement("", 49, -1, 0)).parse(parts))
			.withMessageContaining("exceeds its maximum permitted size of 49 bytes");
		parts.forEach((part) -> {
			try {
				part.cleanUp();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		try (var files = Files.list(this.location)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void requestLargerThanMaxRequestSizeIsRefused() {
		assertThatIllegalStateException()
			.isThrownBy(() -> parse(BODY, 64, new MultipartConfigElement("", -1, 100, 1024)))
			.withMessageContaining("size exceeds the configured maximum of 100 bytes");
	}

	@Test
	void truncatedBodyIsMalformed() {
		String truncated = BODY.substring(0, BODY.indexOf("--XyZ--"));
		assertThatIOException().isThrownBy(() -> parse(truncated, 5, new MultipartConfigElement("")));
		assertThatIOException().isThrownBy(() -> parse("no boundary at all", 5, new MultipartConfigElement("")));
	}

	private List<MultipartPart> parse(String body, int chunkSize, MultipartConfigElement config) throws IOException {
		List<MultipartPart> parts = new ArrayList<>();
		parser(body, chunkSize, config).parse(parts);
		return parts;
	}

	private MultipartParser parser(String body, int chunkSize, MultipartConfigElement config) {
		InputStream chunked = new FilterInputStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))) {
			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				return super.read(b, off, Math.min(len, chunkSize));
			}
		};
		return new MultipartParser(chunked, "XyZ", config, this.location, StandardCharsets.UTF_8);
	}

}
