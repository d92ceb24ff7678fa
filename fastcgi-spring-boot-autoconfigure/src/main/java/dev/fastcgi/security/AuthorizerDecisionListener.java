package dev.fastcgi.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Told of every answered authorizer request, whoever decided it (Spring Security's filter chain,
 * a {@link FastCgiAuthorizer}, the application itself). Beans of this type are called in order;
 * with a Micrometer {@code MeterRegistry} one counts {@code fastcgi.authorizer.decisions}.
 */
@FunctionalInterface
public interface AuthorizerDecisionListener {

	/**
	 * @param request the authorizer request
	 * @param status the status of the answer: 200 allowed the request, anything else denied it
	 */
	void decided(HttpServletRequest request, int status);

}
