package dev.fastcgi.servlet;

import java.nio.charset.StandardCharsets;

/**
 * The minimal HTML page sent for an error no error page answers, shaped like Tomcat's report as
 * Spring Boot configures it (no message, no stack trace, no server version).
 */
final class ErrorReport {

	static final String CONTENT_TYPE = "text/html;charset=utf-8";

	private ErrorReport() {
	}

	static byte[] html(int status) {
		String title = "HTTP Status " + status + " \u2013 " + HttpStatusText.reason(status);
		return ("<!doctype html><html lang=\"en\"><head><title>" + title + "</title></head><body><h1>" + title
				+ "</h1></body></html>")
			.getBytes(StandardCharsets.UTF_8);
	}

}
