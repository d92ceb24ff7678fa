package dev.fastcgi.server;

/**
 * The time limits a {@link FastCgiServer} enforces, each reported when it runs out.
 */
public enum ServerTimeout {

	/** The params of a request did not end in time after its BEGIN_REQUEST; the connection is closed. */
	PARAMS,

	/** A handler waited too long for more of its request body; the connection is closed. */
	BODY_IDLE,

	/** A connection stayed without a request for too long; it is closed. */
	KEEP_ALIVE,

	/** A handler ran too long; its request is ended and its further reads and writes fail. */
	REQUEST,

	/** The web server kept sending after the connection was shut down for closing; it is closed. */
	DRAIN

}
