package dev.fastcgi.sample.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A {@code multipart/form-data} body with one file field, as a browser's upload form sends it. */
public record MultipartBody(String contentType, byte[] bytes) {

	private static final String BOUNDARY = "----e2eBoundary7MA4YWxkTrZu0gW";

	public static MultipartBody file(String field, String filename, byte[] content) {
		ByteArrayOutputStream body = new ByteArrayOutputStream(content.length + 256);
		body.writeBytes(("--" + BOUNDARY + "\r\n" + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\""
				+ filename + "\"\r\n" + "Content-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return new MultipartBody("multipart/form-data; boundary=" + BOUNDARY, body.toByteArray());
	}

	/** The lower-case hex SHA-256 of some bytes, as the sample application's /upload reports it. */
	public static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
