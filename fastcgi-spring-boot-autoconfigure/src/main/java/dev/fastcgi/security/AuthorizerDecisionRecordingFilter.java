package dev.fastcgi.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Logs (at DEBUG) and reports to the {@link AuthorizerDecisionListener}s how each authorizer
 * request was answered. Registered before every other filter: a denial by Spring Security is
 * written inside its filter chain and never reaches the {@link FastCgiAuthorizerFilter}, so only
 * the answer seen on the way out counts them all.
 */
public class AuthorizerDecisionRecordingFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(AuthorizerDecisionRecordingFilter.class);

	private final List<AuthorizerDecisionListener> listeners;

	public AuthorizerDecisionRecordingFilter(List<AuthorizerDecisionListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !AuthorizerRequests.isAuthorizerRequest(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// an exception leaving the chain becomes a 500 answer, which denies the request
		int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
		try {
			chain.doFilter(request, response);
			status = response.getStatus();
		}
		finally {
			record(request, status);
		}
	}

	private void record(HttpServletRequest request, int status) {
		if (logger.isDebugEnabled()) {
			logger.debug("Authorizer request " + request.getMethod() + " " + request.getRequestURI()
					+ ((status == HttpServletResponse.SC_OK) ? " allowed" : " denied with status " + status));
		}
		for (AuthorizerDecisionListener listener : this.listeners) {
			listener.decided(request, status);
		}
	}

}
