package dev.fastcgi.server;

import java.io.IOException;

/**
 * Thrown by a request's body and response streams once the web server has given up on the
 * request: it sent {@code FCGI_ABORT_REQUEST}, or closed the connection because its client went
 * away. Nothing is wrong with the application, and nobody is left to answer, so the servlet layer
 * logs it at debug level and renders no error page, as Tomcat does with its
 * {@code ClientAbortException}.
 */
public class RequestAbortedException extends IOException {

	private static final long serialVersionUID = 1L;

	public RequestAbortedException(String message) {
		super(message);
	}

	public RequestAbortedException(String message, Throwable cause) {
		super(message, cause);
	}

	/** Whether the throwable is one of these, or was caused by one. */
	public static boolean isCauseOf(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RequestAbortedException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
