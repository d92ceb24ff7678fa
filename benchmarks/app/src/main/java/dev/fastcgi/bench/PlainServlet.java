package dev.fastcgi.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Answers a fixed short text without Spring MVC in the way. */
class PlainServlet extends HttpServlet {

	private static final byte[] BODY = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setContentType("text/plain");
		response.setContentLength(BODY.length);
		response.getOutputStream().write(BODY);
	}

}
