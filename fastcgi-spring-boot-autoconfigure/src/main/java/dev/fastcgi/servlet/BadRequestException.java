package dev.fastcgi.servlet;

/**
 * A request the bridge refuses with 400 before any application code sees it.
 */
final class BadRequestException extends RuntimeException {

	BadRequestException(String message) {
		super(message);
	}

}
