package dev.fastcgi.security;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Allows every authorizer request that reaches it: Spring Security's filter chain ran before
 * and answered the requests it denies itself (401 with its {@code WWW-Authenticate}, 403, a
 * redirect to the login page), which the web server passes to the client unchanged.
 * <p>
 * An authenticated (not anonymous) user is handed on as {@code REMOTE_USER}, the name of the
 * {@link Authentication}, and {@code AUTH_TYPE}, the scheme of the request's
 * {@code Authorization} header or else what the web server reported; the
 * {@link AuthorizerVariablesContributor}s add more.
 */
public class SpringSecurityAuthorizer implements FastCgiAuthorizer {

	private final SecurityContextHolderStrategy securityContextHolderStrategy;

	private final List<AuthorizerVariablesContributor> contributors;

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	public SpringSecurityAuthorizer(SecurityContextHolderStrategy securityContextHolderStrategy,
			List<AuthorizerVariablesContributor> contributors) {
		this.securityContextHolderStrategy = securityContextHolderStrategy;
		this.contributors = List.copyOf(contributors);
	}

	@Override
	public AuthorizerDecision authorize(HttpServletRequest request) {
		Authentication authentication = this.securityContextHolderStrategy.getContext().getAuthentication();
		AuthorizerVariables variables = new AuthorizerVariables();
		if (this.trustResolver.isAuthenticated(authentication)) {
			variables.put("REMOTE_USER", authentication.getName());
			String authType = authType(request);
			if (authType != null) {
				variables.put("AUTH_TYPE", authType);
			}
			for (AuthorizerVariablesContributor contributor : this.contributors) {
				contributor.contribute(authentication, variables);
			}
		}
		return AuthorizerDecision.allow(variables);
	}

	private static String authType(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && !authorization.isBlank()) {
			String trimmed = authorization.trim();
			int space = trimmed.indexOf(' ');
			return (space > 0) ? trimmed.substring(0, space) : trimmed;
		}
		String reported = AuthorizerRequests.param(request, "AUTH_TYPE");
		return (reported != null && !reported.isEmpty()) ? reported : null;
	}

}
