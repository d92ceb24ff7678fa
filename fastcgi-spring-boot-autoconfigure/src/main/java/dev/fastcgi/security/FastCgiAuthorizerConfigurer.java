package dev.fastcgi.security;

import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.authentication.preauth.x509.X509AuthenticationFilter;

/**
 * Fits a {@link HttpSecurity} filter chain for FastCGI authorizer requests. Spring Security
 * applies it to every {@code HttpSecurity} on its own (it is listed in
 * {@code META-INF/spring.factories}) when {@code fastcgi.mode} includes {@code authorizer}:
 * <ul>
 * <li>Apache mod_authnz_fcgi's requests are authenticated from their params, see
 * {@link AuthnzFcgiAuthenticationFilter}, before any other authentication filter.</li>
 * <li>Authorizer requests are exempt from CSRF protection: they carry no body, so a token sent
 * in a form could never be checked, and they change nothing; the responder that then serves the
 * request checks the token.</li>
 * </ul>
 * Turned off for every chain with {@code fastcgi.authorizer.security.enabled=false}, for one
 * chain with {@code http.removeConfigurer(FastCgiAuthorizerConfigurer.class)}.
 */
public final class FastCgiAuthorizerConfigurer
		extends AbstractHttpConfigurer<FastCgiAuthorizerConfigurer, HttpSecurity> {

	@Override
	public void init(HttpSecurity http) {
		if (!isActive(http)) {
			return;
		}
		CsrfConfigurer<HttpSecurity> csrf = http.getConfigurer(CsrfConfigurer.class);
		if (csrf != null) {
			csrf.ignoringRequestMatchers(AuthorizerRequests::isAuthorizerRequest);
		}
	}

	@Override
	public void configure(HttpSecurity http) {
		if (!isActive(http)) {
			return;
		}
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		AuthnzFcgiAuthenticationFilter filter = new AuthnzFcgiAuthenticationFilter(
				http.getSharedObject(AuthenticationManager.class),
				context.getBeanProvider(UserDetailsService.class).getIfUnique(), getSecurityContextHolderStrategy());
		http.addFilterBefore(postProcess(filter), X509AuthenticationFilter.class);
	}

	/**
	 * Whether the application serves authorizer requests (the auto-configuration's properties
	 * exist only then) and has not turned this configurer off.
	 */
	private static boolean isActive(HttpSecurity http) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		if (context == null) {
			return false;
		}
		FastCgiAuthorizerProperties properties = context.getBeanProvider(FastCgiAuthorizerProperties.class)
			.getIfAvailable();
		return properties != null && properties.getSecurity().isEnabled();
	}

}
