package dev.fastcgi.servlet;

import java.nio.charset.StandardCharsets;

/**
 * The HTML page sent for an error no error page answers, byte for byte Tomcat's report as Spring
 * Boot configures it (no message, no stack trace, no server version).
 */
final class ErrorReport {

	static final String CONTENT_TYPE = "text/html;charset=utf-8";

	/** Tomcat's {@code TomcatCSS}. */
	private static final String STYLE = "<style type=\"text/css\">body {font-family:Tahoma,Arial,sans-serif;} h1, h2, h3, b "
			+ "{color:white;background-color:#525D76;} h1 {font-size:22px;} h2 {font-size:16px;} h3 {font-size:14px;} "
			+ "p {font-size:12px;} a {color:black;} .line {height:1px;background-color:#525D76;border:none;}</style>";

	private ErrorReport() {
	}

	static byte[] html(int status) {
		String title = "HTTP Status " + status + " \u2013 " + HttpStatusText.reason(status);
		return ("<!doctype html><html lang=\"en\"><head><title>" + title + "</title>" + STYLE + "</head><body><h1>" + title
				+ "</h1></body></html>")
			.getBytes(StandardCharsets.UTF_8);
	}

}
