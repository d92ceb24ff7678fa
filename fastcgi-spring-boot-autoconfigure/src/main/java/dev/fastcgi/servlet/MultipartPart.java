package dev.fastcgi.servlet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.Part;

/**
 * One part of a {@code multipart/form-data} body, held in memory up to the size threshold and in
 * a temporary file beyond it.
 */
final class MultipartPart implements Part {

	private final String name;

	private final String submittedFileName;

	private final Map<String, List<String>> headers;

	private final Path location;

	private final Path temporaryFile;

	private byte[] content;

	private Path file;

	private final long size;

	MultipartPart(String name, String submittedFileName, Map<String, List<String>> headers, Path location,
			byte[] content, Path file, long size) {
		this.name = name;
		this.submittedFileName = submittedFileName;
		this.headers = headers;
		this.location = location;
		this.content = content;
		this.file = file;
		this.temporaryFile = file;
		this.size = size;
	}

	boolean isFormField() {
		return this.submittedFileName == null;
	}

	String contentAsString(Charset charset) throws IOException {
		return new String((this.content != null) ? this.content : Files.readAllBytes(this.file), charset);
	}

	@Override
	public InputStream getInputStream() throws IOException {
		return (this.file != null) ? Files.newInputStream(this.file)
				: new ByteArrayInputStream((this.content != null) ? this.content : new byte[0]);
	}

	@Override
	public String getContentType() {
		return getHeader("Content-Type");
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getSubmittedFileName() {
		return this.submittedFileName;
	}

	@Override
	public long getSize() {
		return this.size;
	}

	/** Writes the part to a file, relative names being relative to the multipart location. */
	@Override
	public void write(String fileName) throws IOException {
		Path target = this.location.resolve(fileName);
		if (this.file != null) {
			Files.move(this.file, target, StandardCopyOption.REPLACE_EXISTING);
			this.file = target;
		}
		else {
			Files.write(target, (this.content != null) ? this.content : new byte[0]);
		}
	}

	@Override
	public void delete() throws IOException {
		this.content = null;
		if (this.file != null) {
			Files.deleteIfExists(this.file);
		}
	}

	/** Removes the temporary file unless the application kept it by writing the part elsewhere. */
	void cleanUp() throws IOException {
		if (this.temporaryFile != null && this.temporaryFile.equals(this.file)) {
			Files.deleteIfExists(this.temporaryFile);
		}
	}

	@Override
	public String getHeader(String name) {
		List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
		return (values != null) ? values.get(0) : null;
	}

	@Override
	public Collection<String> getHeaders(String name) {
		return this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
	}

	@Override
	public Collection<String> getHeaderNames() {
		return this.headers.keySet();
	}

}
