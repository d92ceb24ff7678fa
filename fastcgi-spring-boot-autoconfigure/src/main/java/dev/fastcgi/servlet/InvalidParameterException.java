package dev.fastcgi.servlet;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Request parameters that cannot be parsed, thrown from the {@code getParameter} methods as
 * Tomcat throws them: an {@link IllegalStateException}, as the Servlet 6.1 Javadoc has it. A
 * request that fails with it, directly or as the cause of the exception it fails with, is
 * answered with the status it carries instead of 500.
 */
final class InvalidParameterException extends IllegalStateException {

	private final int status;

	InvalidParameterException(String message) {
		this(message, null, HttpServletResponse.SC_BAD_REQUEST);
	}

	InvalidParameterException(String message, Throwable cause) {
		this(message, cause, HttpServletResponse.SC_BAD_REQUEST);
	}

	InvalidParameterException(String message, int status) {
		this(message, null, status);
	}

	private InvalidParameterException(String message, Throwable cause, int status) {
		super(message, cause);
		this.status = status;
	}

	int status() {
		return this.status;
	}

}
