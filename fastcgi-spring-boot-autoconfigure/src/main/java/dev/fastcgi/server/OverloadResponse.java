package dev.fastcgi.server;

/**
 * How a request the server has no room for is turned away.
 */
public enum OverloadResponse {

	/**
	 * {@code FCGI_END_REQUEST} with protocol status {@code FCGI_OVERLOADED}, as the specification
	 * says. nginx shows it to the client as 502 Bad Gateway.
	 */
	PROTOCOL_STATUS,

	/**
	 * A CGI response {@code Status: 503} with {@code Retry-After}, which the web server passes on
	 * to the client as it is.
	 */
	HTTP_503

}
