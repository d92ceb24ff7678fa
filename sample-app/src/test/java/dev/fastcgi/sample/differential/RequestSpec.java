package dev.fastcgi.sample.differential;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request of the battery: what is sent to both front ends, and the status Tomcat is
 * expected to answer, which keeps the battery honest (two front ends failing alike would
 * otherwise pass).
 * @param method the request method
 * @param target the request target exactly as sent, which may be non-ASCII (sent as UTF-8)
 * @param headers header lines ({@code Name: value}) besides Host, Connection, Cookie and
 * Content-Length, which the {@link FrontEnd} adds
 * @param body the body, or {@code null} for none
 * @param chunked whether the body is sent with {@code Transfer-Encoding: chunked} rather than a length
 * @param http10 whether the request line says {@code HTTP/1.0}, as old clients and some probes send it
 * @param expectedStatus the status Tomcat answers
 */
record RequestSpec(String method, String target, List<String> headers, byte[] body, boolean chunked, boolean http10,
		int expectedStatus) {

	static RequestSpec get(String target, int expectedStatus) {
		return request("GET", target, expectedStatus);
	}

	static RequestSpec request(String method, String target, int expectedStatus) {
		return new RequestSpec(method, target, List.of(), null, false, false, expectedStatus);
	}

	RequestSpec header(String name, String value) {
		List<String> headers = new ArrayList<>(this.headers);
		headers.add(name + ": " + value);
		return new RequestSpec(this.method, this.target, headers, this.body, this.chunked, this.http10, this.expectedStatus);
	}

	RequestSpec accept(String mediaType) {
		return header("Accept", mediaType);
	}

	RequestSpec body(String contentType, byte[] body) {
		return header("Content-Type", contentType).withBody(body);
	}

	RequestSpec body(String contentType, String body) {
		return body(contentType, body.getBytes(StandardCharsets.UTF_8));
	}

	/** Sends the body in chunks, as a browser streaming an upload or {@code curl -T -} does. */
	RequestSpec sentChunked() {
		return new RequestSpec(this.method, this.target, this.headers, this.body, true, this.http10, this.expectedStatus);
	}

	/**
	 * Sends the request as HTTP/1.0: the web server then answers without chunks, ending a
	 * response of unknown length by closing the connection.
	 */
	RequestSpec viaHttp10() {
		return new RequestSpec(this.method, this.target, this.headers, this.body, this.chunked, true, this.expectedStatus);
	}

	private RequestSpec withBody(byte[] body) {
		return new RequestSpec(this.method, this.target, this.headers, body, this.chunked, this.http10, this.expectedStatus);
	}

	@Override
	public String toString() {
		String description = this.method + " " + this.target + (this.http10 ? " HTTP/1.0" : "")
				+ (this.headers.isEmpty() ? "" : " " + this.headers);
		return (this.body != null) ? description + " with a " + (this.chunked ? "chunked " : "") + "body of "
				+ this.body.length + " bytes" : description;
	}

}
