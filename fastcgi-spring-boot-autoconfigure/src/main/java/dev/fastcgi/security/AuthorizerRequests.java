package dev.fastcgi.security;

import jakarta.servlet.ServletRequest;

import dev.fastcgi.protocol.Role;
import dev.fastcgi.server.Params;
import dev.fastcgi.servlet.FastCgiServletRequest;

/** What the servlet bridge tells about a request beyond the Servlet API. */
final class AuthorizerRequests {

	private AuthorizerRequests() {
	}

	/** Whether the web server sent the request in the FastCGI authorizer role. */
	static boolean isAuthorizerRequest(ServletRequest request) {
		return request.getAttribute(FastCgiServletRequest.ROLE_ATTRIBUTE) == Role.AUTHORIZER;
	}

	/** A CGI param of the request as the web server sent it (possibly empty), or {@code null}. */
	static String param(ServletRequest request, String name) {
		Object params = request.getAttribute(FastCgiServletRequest.PARAMS_ATTRIBUTE);
		return (params instanceof Params cgiParams) ? cgiParams.get(name) : null;
	}

}
