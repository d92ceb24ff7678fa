package dev.fastcgi.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides the requests a web server sends in the FastCGI authorizer role (lighttpd
 * {@code "mode" => "authorizer"}, Apache mod_authnz_fcgi). An authorizer request carries the
 * client's method, path ({@code REQUEST_URI}) and headers, never a body; it reaches the decision
 * only after every servlet filter of the application let it through.
 * <p>
 * With Spring Security on the classpath one is configured that allows whatever the
 * application's security filter chain let through, see {@link SpringSecurityAuthorizer}. Without
 * it, an application that lists {@code authorizer} in {@code fastcgi.mode} declares a bean of
 * this type.
 */
@FunctionalInterface
public interface FastCgiAuthorizer {

	AuthorizerDecision authorize(HttpServletRequest request);

}
