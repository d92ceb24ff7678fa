package dev.fastcgi.security;

import java.io.IOException;
import java.util.Collection;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates the authorizer requests of Apache httpd's mod_authnz_fcgi from the params it
 * sends, since Apache never forwards the {@code Authorization} header to an authorizer:
 * <ul>
 * <li>{@code REMOTE_PASSWD} present ({@code FCGI_APACHE_ROLE=AUTHENTICATOR}, or no
 * {@code FCGI_APACHE_ROLE} for a combined {@code authnz} provider): {@code REMOTE_USER} and
 * {@code REMOTE_PASSWD}, decoded by Apache from Basic authentication, are checked by the
 * application's {@link AuthenticationManager}. Wrong credentials are answered 401 at once, so
 * that a path the application leaves open cannot make Apache accept them.</li>
 * <li>{@code FCGI_APACHE_ROLE=AUTHORIZER}: Apache authenticated {@code REMOTE_USER} already; the
 * user's authorities come from the {@link UserDetailsService} (none without one), so that the
 * application's rules for the path decide Apache's {@code Require}. A user it does not know
 * stays anonymous.</li>
 * </ul>
 * Other requests, lighttpd's authorizer requests among them, pass untouched: they carry the
 * client's headers and the chain's own authentication applies. The authentication holds for
 * the one request and is never stored in a session.
 */
final class AuthnzFcgiAuthenticationFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(AuthnzFcgiAuthenticationFilter.class);

	private final AuthenticationManager authenticationManager;

	private final UserDetailsService userDetailsService;

	private final SecurityContextHolderStrategy securityContextHolderStrategy;

	private final WebAuthenticationDetailsSource detailsSource = new WebAuthenticationDetailsSource();

	private final AccountStatusUserDetailsChecker accountStatusChecker = new AccountStatusUserDetailsChecker();

	/**
	 * @param authenticationManager checks passwords; {@code null} when the application has none,
	 * which fails every password check
	 * @param userDetailsService loads the authorities of a user Apache authenticated; may be
	 * {@code null}
	 */
	AuthnzFcgiAuthenticationFilter(AuthenticationManager authenticationManager, UserDetailsService userDetailsService,
			SecurityContextHolderStrategy securityContextHolderStrategy) {
		this.authenticationManager = authenticationManager;
		this.userDetailsService = userDetailsService;
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !AuthorizerRequests.isAuthorizerRequest(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String user = AuthorizerRequests.param(request, "REMOTE_USER");
		String password = AuthorizerRequests.param(request, "REMOTE_PASSWD");
		if (password != null) {
			Authentication authentication = checkPassword(request, (user != null) ? user : "", password);
			if (authentication == null) {
				response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
				return;
			}
			setAuthentication(authentication);
		}
		else if ("AUTHORIZER".equals(AuthorizerRequests.param(request, "FCGI_APACHE_ROLE")) && user != null
				&& !user.isEmpty()) {
			Authentication authentication = authenticatedByApache(request, user);
			if (authentication != null) {
				setAuthentication(authentication);
			}
		}
		chain.doFilter(request, response);
	}

	private Authentication checkPassword(HttpServletRequest request, String user, String password) {
		if (this.authenticationManager == null) {
			logger.warn("Apache asked to check the password of '" + user
					+ "', but the application has no AuthenticationManager (nor UserDetailsService) to check it");
			return null;
		}
		UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated(user,
				password);
		token.setDetails(this.detailsSource.buildDetails(request));
		try {
			return this.authenticationManager.authenticate(token);
		}
		catch (AuthenticationException ex) {
			logger.debug("Apache's credentials for '" + user + "' were rejected: " + ex.getMessage());
			return null;
		}
	}

	private Authentication authenticatedByApache(HttpServletRequest request, String user) {
		Object principal = user;
		Collection<? extends GrantedAuthority> authorities = AuthorityUtils.NO_AUTHORITIES;
		if (this.userDetailsService != null) {
			try {
				UserDetails details = this.userDetailsService.loadUserByUsername(user);
				this.accountStatusChecker.check(details);
				principal = details;
				authorities = details.getAuthorities();
			}
			catch (AuthenticationException ex) {
				logger.debug("'" + user + "', authenticated by Apache, stays anonymous: " + ex.getMessage());
				return null;
			}
		}
		PreAuthenticatedAuthenticationToken authentication = new PreAuthenticatedAuthenticationToken(principal, "",
				authorities);
		authentication.setDetails(this.detailsSource.buildDetails(request));
		return authentication;
	}

	private void setAuthentication(Authentication authentication) {
		SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
		context.setAuthentication(authentication);
		this.securityContextHolderStrategy.setContext(context);
	}

}
