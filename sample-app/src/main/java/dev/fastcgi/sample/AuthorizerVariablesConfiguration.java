package dev.fastcgi.sample;

import java.util.stream.Collectors;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.authority.AuthorityUtils;

import dev.fastcgi.security.AuthorizerVariablesContributor;

/**
 * When this application answers as an authorizer, the web server also receives the user's roles,
 * as the variable AUTHORITIES, for whatever serves the request next.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizerVariablesConfiguration {

	@Bean
	AuthorizerVariablesContributor rolesVariable() {
		// only the roles: Spring Security also grants authorities such as FACTOR_PASSWORD
		return (authentication, variables) -> variables.put("AUTHORITIES",
				AuthorityUtils.authorityListToSet(authentication.getAuthorities())
					.stream()
					.filter((authority) -> authority.startsWith("ROLE_"))
					.sorted()
					.collect(Collectors.joining(",")));
	}

}
