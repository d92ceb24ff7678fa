package dev.fastcgi.security;

import org.springframework.security.core.Authentication;

/**
 * Adds variables for an authenticated user to the answer of an allowed authorizer request,
 * beyond {@code REMOTE_USER} and {@code AUTH_TYPE}: authorities, a tenant, an e-mail address.
 * The web server hands them to whatever serves the request next. Beans of this type are applied
 * in order by the {@link SpringSecurityAuthorizer}; a later one may replace an earlier variable.
 * <pre>
 * &#64;Bean
 * AuthorizerVariablesContributor authorities() {
 *     return (authentication, variables) -&gt; variables.put("AUTHORITIES",
 *             AuthorityUtils.authorityListToSet(authentication.getAuthorities()).stream().sorted()
 *                 .collect(Collectors.joining(",")));
 * }
 * </pre>
 */
@FunctionalInterface
public interface AuthorizerVariablesContributor {

	/**
	 * @param authentication the request's authentication; never anonymous
	 * @param variables the variables so far, to add to
	 */
	void contribute(Authentication authentication, AuthorizerVariables variables);

}
