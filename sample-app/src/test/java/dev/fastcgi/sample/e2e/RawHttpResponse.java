package dev.fastcgi.sample.e2e;

import java.nio.charset.StandardCharsets;

/** A complete response read by {@link RawHttpConnection}. */
public record RawHttpResponse(HttpResponseHead head, byte[] body) {

	public int status() {
		return this.head.status();
	}

	public String header(String name) {
		return this.head.header(name);
	}

	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return this.head.statusLine() + " " + this.head.headers() + "\n" + bodyText();
	}

}
