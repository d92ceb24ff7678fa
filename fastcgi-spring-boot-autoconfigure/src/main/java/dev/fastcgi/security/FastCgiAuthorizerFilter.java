package dev.fastcgi.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers authorizer requests in place of the application: registered after every other
 * filter, so reaching it means the application's filters (Spring Security's among them) let the
 * request through. The {@link FastCgiAuthorizer} decides; an allowed request is answered 200
 * with one {@code Variable-NAME} header per variable and goes no further, unless the application
 * opted in to serve authorizer requests itself ({@code fastcgi.authorizer.dispatch-to-application}).
 * Responder and filter requests pass untouched.
 */
public class FastCgiAuthorizerFilter extends OncePerRequestFilter {

	static final String VARIABLE_HEADER_PREFIX = "Variable-";

	private final FastCgiAuthorizer authorizer;

	private final boolean dispatchToApplication;

	public FastCgiAuthorizerFilter(FastCgiAuthorizer authorizer, boolean dispatchToApplication) {
		this.authorizer = authorizer;
		this.dispatchToApplication = dispatchToApplication;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !AuthorizerRequests.isAuthorizerRequest(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		AuthorizerDecision decision = this.authorizer.authorize(request);
		if (!decision.isAllowed()) {
			decision.headers().forEach(response::setHeader);
			if (decision.status() >= 400) {
				response.sendError(decision.status());
			}
			else {
				response.setStatus(decision.status());
			}
			return;
		}
		response.setStatus(HttpServletResponse.SC_OK);
		decision.variables()
			.asMap()
			.forEach((name, value) -> response.setHeader(VARIABLE_HEADER_PREFIX + name,
					AuthorizerVariables.headerValue(value)));
		if (this.dispatchToApplication) {
			chain.doFilter(request, response);
		}
	}

}
