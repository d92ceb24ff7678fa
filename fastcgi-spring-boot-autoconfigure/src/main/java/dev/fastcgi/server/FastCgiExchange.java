package dev.fastcgi.server;

import java.io.InputStream;
import java.io.OutputStream;

import dev.fastcgi.protocol.Role;

/**
 * One FastCGI request as a handler sees it: the role, the params, the body streams coming in and
 * the output streams going back.
 */
public interface FastCgiExchange {

	/** The id the web server gave the request, unique on its connection while it is active. */
	int requestId();

	/** The role the web server asked for; always one the server was configured to accept. */
	Role role();

	/** Whether the web server keeps the connection open after this request. */
	boolean keepConnection();

	/**
	 * The params of the request in the order they arrived. Names and values are ISO-8859-1
	 * strings, one char per byte received, so no byte is lost; decoding them (UTF-8 paths, say) is
	 * the handler's business.
	 */
	Params params();

	/**
	 * The request body: the STDIN stream up to its empty record. For the authorizer role the
	 * stream is empty at once, since web servers send no STDIN to an authorizer.
	 */
	InputStream stdin();

	/** The filter role's DATA stream, read after STDIN; empty for the other roles. */
	InputStream data();

	/**
	 * STDOUT: the CGI response (header block, blank line, body). Bytes are sent in records as
	 * the buffer fills; {@code flush()} sends what is buffered at once. Writing after the web
	 * server went away or aborted the request throws an {@link java.io.IOException}.
	 */
	OutputStream stdout();

	/** STDERR: text the web server writes to its error log. */
	OutputStream stderr();

	/** Sets the application status sent in {@code FCGI_END_REQUEST} (0 unless set). */
	void setAppStatus(int appStatus);

	/**
	 * Asks that the response be broken off when the handler returns rather than ended: what was
	 * written goes out, then the connection closes without {@code FCGI_END_REQUEST}, which the web
	 * server passes on as a response cut short (nginx closes the client's connection before the
	 * last chunk), as an HTTP server closes its connection when a committed response fails. A
	 * connection carrying other requests too is not closed for one: the request then ends with
	 * application status 1.
	 */
	void breakOff();

	/**
	 * Whether the request was aborted: {@code FCGI_ABORT_REQUEST} arrived, or the connection
	 * failed or was closed by the web server.
	 */
	boolean isAborted();

	/**
	 * Registers a callback run once when the request is aborted (see {@link #isAborted()}); run
	 * at once if it already is. Runs on whichever thread notices the abort.
	 */
	void onAbort(Runnable callback);

	/**
	 * An array of at least {@code length} bytes for the handler to buffer output in, which
	 * {@link #releaseBuffer} takes back once its bytes are written, so that the next request does
	 * not allocate one again (the server keeps one for each connection, and a pool).
	 */
	default byte[] borrowBuffer(int length) {
		return new byte[length];
	}

	/** Takes back an array from {@link #borrowBuffer}; the caller no longer touches it. */
	default void releaseBuffer(byte[] buffer) {
	}

}
