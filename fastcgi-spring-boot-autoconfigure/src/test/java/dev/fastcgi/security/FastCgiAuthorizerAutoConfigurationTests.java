package dev.fastcgi.security;

import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class FastCgiAuthorizerAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FastCgiAuthorizerAutoConfiguration.class));

	@Test
	void aResponderRegistersNothing() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(FastCgiAuthorizerProperties.class);
			assertThat(context.getBeansOfType(FilterRegistrationBean.class)).isEmpty();
		});
	}

	@Test
	void nothingWhenFastCgiIsDisabled() {
		this.runner.withPropertyValues("fastcgi.mode=authorizer", "fastcgi.enabled=false")
			.run((context) -> assertThat(context.getBeansOfType(FilterRegistrationBean.class)).isEmpty());
	}

	@Test
	void withSpringSecurityItsChainsDecide() {
		this.runner.withPropertyValues("fastcgi.mode=responder, authorizer").run((context) -> {
			assertThat(context).hasSingleBean(SpringSecurityAuthorizer.class);
			assertThat(authorizerFilters(context)).hasSize(1);
			assertThat(context.getBeansOfType(FilterRegistrationBean.class).values())
				.extracting(FilterRegistrationBean::getFilter)
				.hasAtLeastOneElementOfType(AuthorizerDecisionRecordingFilter.class);
		});
	}

	@Test
	void anAuthorizerBeanOfTheApplicationTakesThePlaceOfSpringSecurity() {
		this.runner.withPropertyValues("fastcgi.mode=authorizer")
			.withBean(FastCgiAuthorizer.class, () -> (request) -> AuthorizerDecision.deny(403))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(SpringSecurityAuthorizer.class);
				assertThat(authorizerFilters(context)).hasSize(1);
			});
	}

	@Test
	void withoutSpringSecurityAnAuthorizerBeanDecides() {
		this.runner.withPropertyValues("fastcgi.mode=authorizer")
			.withClassLoader(new FilteredClassLoader("org.springframework.security."))
			.withBean(FastCgiAuthorizer.class, () -> (request) -> AuthorizerDecision.allow())
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(SpringSecurityAuthorizer.class);
				assertThat(authorizerFilters(context)).hasSize(1);
			});
	}

	@Test
	void withNeitherSpringSecurityNorAnAuthorizerBeanTheApplicationDoesNotStart() {
		this.runner.withPropertyValues("fastcgi.mode=authorizer")
			.withClassLoader(new FilteredClassLoader("org.springframework.security."))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("fastcgi.mode includes authorizer")
				.hasMessageContaining("spring-boot-starter-security")
				.hasMessageContaining(FastCgiAuthorizer.class.getName()));
	}

	@Test
	void decisionsAreCountedWhenThereIsAMeterRegistry() {
		this.runner.withPropertyValues("fastcgi.mode=authorizer")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(MicrometerAuthorizerDecisionCounter.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(MicrometerAuthorizerDecisionCounter.METER_NAME).counters())
					.extracting((counter) -> counter.getId().getTag("outcome"))
					.containsExactlyInAnyOrder("allowed", "denied");
			});
	}

	@Test
	void noCounterWithoutMicrometer() {
		this.runner.withPropertyValues("fastcgi.mode=authorizer")
			.withClassLoader(new FilteredClassLoader("io.micrometer.core."))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MicrometerAuthorizerDecisionCounter.class));
	}

	@Test
	void theConfigurerJoinsEveryChainButOneThatRemovedIt() {
		this.runner.withPropertyValues("fastcgi.mode=authorizer")
			.withUserConfiguration(TwoChains.class)
			.run((context) -> assertThat(chainsAuthenticatingApacheRequests(context)).containsExactly("/kept/**"));
	}

	@Test
	void thePropertyTurnsTheConfigurerOffForEveryChain() {
		this.runner.withPropertyValues("fastcgi.mode=authorizer", "fastcgi.authorizer.security.enabled=false")
			.withUserConfiguration(TwoChains.class)
			.run((context) -> assertThat(chainsAuthenticatingApacheRequests(context)).isEmpty());
	}

	@Test
	void theConfigurerStaysOutOfAResponder() {
		this.runner.withUserConfiguration(TwoChains.class)
			.run((context) -> assertThat(chainsAuthenticatingApacheRequests(context)).isEmpty());
	}

	private static List<FastCgiAuthorizerFilter> authorizerFilters(AssertableWebApplicationContext context) {
		return context.getBeansOfType(FilterRegistrationBean.class)
			.values()
			.stream()
			.map(FilterRegistrationBean::getFilter)
			.filter(FastCgiAuthorizerFilter.class::isInstance)
			.map(FastCgiAuthorizerFilter.class::cast)
			.toList();
	}

	private static List<String> chainsAuthenticatingApacheRequests(AssertableWebApplicationContext context) {
		return context.getBean(FilterChainProxy.class)
			.getFilterChains()
			.stream()
			.filter((chain) -> chain.getFilters().stream().anyMatch(AuthnzFcgiAuthenticationFilter.class::isInstance))
			.map((chain) -> Stream.of("/kept/**", "/removed/**")
				.filter((pattern) -> chain.matches(new MockHttpServletRequest("GET", pattern.replace("**", "page"))))
				.findFirst()
				.orElseThrow())
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class TwoChains {

		@Bean
		SecurityFilterChain kept(HttpSecurity http) throws Exception {
			return http.securityMatcher("/kept/**").build();
		}

		@Bean
		SecurityFilterChain removed(HttpSecurity http) throws Exception {
			http.removeConfigurer(FastCgiAuthorizerConfigurer.class);
			return http.securityMatcher("/removed/**").build();
		}

	}

}
