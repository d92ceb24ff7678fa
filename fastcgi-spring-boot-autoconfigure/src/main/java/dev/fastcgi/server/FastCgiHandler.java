package dev.fastcgi.server;

/**
 * Serves FastCGI requests. The server knows nothing of what a request means; a handler (the
 * servlet bridge, a test, a user's own code) turns an exchange's params and body into output.
 */
@FunctionalInterface
public interface FastCgiHandler {

	/**
	 * Serves one request. Runs on the connection's thread when the connection does not multiplex,
	 * otherwise on a worker. When this method returns (normally or not) the server flushes and
	 * closes STDOUT and STDERR and sends {@code FCGI_END_REQUEST} with the exchange's app status;
	 * an exception is logged, reported on STDERR and ends the request with app status 1.
	 * @param exchange the request and its response streams
	 * @throws Exception any failure of the handler
	 */
	void handle(FastCgiExchange exchange) throws Exception;

}
