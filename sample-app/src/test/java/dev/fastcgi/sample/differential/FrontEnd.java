package dev.fastcgi.sample.differential;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpCookie;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.fastcgi.sample.e2e.HttpResponseHead;
import dev.fastcgi.sample.e2e.RawHttpConnection;
import dev.fastcgi.sample.e2e.RawHttpResponse;

/**
 * An nginx in front of one of the two applications, seen from a browser: it keeps the cookies
 * the responses set and sends them with later requests, so both applications see the same
 * session life cycle. Every request goes on a new connection.
 */
final class FrontEnd {

	/** Stands for the front end's {@code host:port} in a request target, for the absolute form. */
	static final String AUTHORITY = "{authority}";

	private static final int CHUNK_SIZE = 65536;

	static final String TRUNCATED = "(the connection closed before the end of the body)";

	private final String name;

	private final int port;

	private final Map<String, String> cookies = new LinkedHashMap<>();

	FrontEnd(String name, int port) {
		this.name = name;
		this.port = port;
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	RawHttpResponse send(RequestSpec spec) throws IOException {
		StringBuilder head = new StringBuilder();
		String authority = "127.0.0.1:" + this.port;
		head.append(spec.method()).append(' ').append(spec.target().replace(AUTHORITY, authority))
			.append(spec.http10() ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
		head.append("Host: ").append(authority).append("\r\n");
		head.append("Connection: close\r\n");
		spec.headers().forEach((header) -> head.append(header).append("\r\n"));
		if (!this.cookies.isEmpty()) {
			head.append("Cookie: ")
				.append(this.cookies.entrySet()
					.stream()
					.map((cookie) -> cookie.getKey() + "=" + cookie.getValue())
					.collect(Collectors.joining("; ")))
				.append("\r\n");
		}
		if (spec.body() != null) {
			head.append(spec.chunked() ? "Transfer-Encoding: chunked"
					: "Content-Length: " + spec.body().length).append("\r\n");
		}
		else if (List.of("POST", "PUT", "PATCH").contains(spec.method())) {
			// as browsers send it; lighttpd refuses such a request without a length (411)
			head.append("Content-Length: 0\r\n");
		}
		head.append("\r\n");
		try (RawHttpConnection connection = RawHttpConnection.open(this.port)) {
			connection.send(head.toString().getBytes(StandardCharsets.UTF_8));
			if (spec.body() != null) {
				connection.send(spec.chunked() ? chunkedEncoding(spec.body()) : spec.body());
			}
			HttpResponseHead responseHead = connection.readHead();
			byte[] body = hasBody(spec, responseHead.status()) ? readBody(connection.body(responseHead))
					: new byte[0];
			keepCookies(responseHead.headers().getOrDefault("set-cookie", List.of()));
			return new RawHttpResponse(responseHead, body);
		}
	}

	/**
	 * The body, or as much of it as came before the connection closed, followed by
	 * {@link #TRUNCATED}: how a browser learns that a response broke off, which must be told
	 * apart from one that ended.
	 */
	private static byte[] readBody(InputStream body) {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			int count;
			while ((count = body.read(buffer)) >= 0) {
				received.write(buffer, 0, count);
			}
		}
		catch (IOException ex) {
			received.writeBytes(TRUNCATED.getBytes(StandardCharsets.US_ASCII));
		}
		return received.toByteArray();
	}

	private static boolean hasBody(RequestSpec spec, int status) {
		return !"HEAD".equals(spec.method()) && status >= 200 && status != 204 && status != 304;
	}

	private void keepCookies(List<String> setCookieHeaders) {
		for (String header : setCookieHeaders) {
			for (HttpCookie cookie : HttpCookie.parse(header)) {
				if (cookie.getMaxAge() == 0) {
					this.cookies.remove(cookie.getName());
				}
				else {
					this.cookies.put(cookie.getName(), cookie.getValue());
				}
			}
		}
	}

	@Override
	public String toString() {
		return this.name + " (nginx on port " + this.port + ")";
	}

	private static byte[] chunkedEncoding(byte[] body) {
		ByteArrayOutputStream encoded = new ByteArrayOutputStream(body.length + 1024);
		for (int offset = 0; offset < body.length; offset += CHUNK_SIZE) {
			int length = Math.min(CHUNK_SIZE, body.length - offset);
			encoded.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			encoded.write(body, offset, length);
			encoded.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		encoded.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		return encoded.toByteArray();
	}

}
