package dev.fastcgi.sample.differential;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Form login for {@code /members/**}, and no CSRF check for the endpoints of
 * {@link DifferentialEndpoints} that take a body; {@code /echo/**} stays under the sample
 * application's rules, CSRF check included.
 */
@Configuration(proxyBeanMethods = false)
@Profile(DifferentialApplication.PROFILE)
class DifferentialSecurity {

	@Bean
	@Order(1)
	SecurityFilterChain differentialSecurityFilterChain(HttpSecurity http) throws Exception {
		return http.securityMatcher("/members/**", "/login", "/logout", "/text", "/sha256", "/session/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/members/**").authenticated().anyRequest().permitAll())
			.formLogin(Customizer.withDefaults())
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/text", "/sha256", "/session/**"))
			.build();
	}

}
