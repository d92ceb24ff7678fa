package dev.fastcgi.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsByNameServiceWrapper;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /admin/**} needs role ADMIN over HTTP Basic; everything else is public. The same rules
 * hold whether the request came through Tomcat or through a web server over FastCGI.
 */
@Configuration(proxyBeanMethods = false)
// Started without a web server (spring.main.web-application-type=none, as some tests do) the
// application has no HTTP to secure, and Spring Security provides no HttpSecurity.
@ConditionalOnWebApplication(type = Type.SERVLET)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, UserDetailsService users) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/admin/**")
				.hasRole("ADMIN")
				.anyRequest()
				.permitAll())
			.httpBasic(Customizer.withDefaults())
			// REMOTE_USER from the web server (its own authentication, or an authorizer's
			// Variable-REMOTE_USER) is the user, with the roles UserDetailsService knows: only the
			// web server can reach the FastCGI socket, and clients cannot set params.
			.jee((jee) -> jee.authenticatedUserDetailsService(new UserDetailsByNameServiceWrapper<>(users)))
			// So the demo can be driven with curl; the HTML forms of index.html post to these too.
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**", "/form", "/upload"))
			.build();
	}

	@Bean
	UserDetailsService users() {
		// {noop}: demo passwords in plain text. A real password hash (bcrypt) would make every
		// Basic-authenticated request cost tens of milliseconds of CPU, which benchmarks would measure.
		return new InMemoryUserDetailsManager(
				User.withUsername("user").password("{noop}password").roles("USER").build(),
				User.withUsername("admin").password("{noop}admin").roles("ADMIN").build());
	}

}
