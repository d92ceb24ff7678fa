package dev.fastcgi.server;

/**
 * How the web server gave up on a request in progress.
 */
public enum AbortCause {

	/** It sent {@code FCGI_ABORT_REQUEST}. */
	ABORT_RECORD,

	/** It closed the connection, or stopped reading it, before the request ended (the client went away). */
	CONNECTION_LOST

}
