package dev.fastcgi.security;

import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

import dev.fastcgi.protocol.Role;

/**
 * Answers FastCGI authorizer requests when {@code fastcgi.mode} includes {@code authorizer}:
 * with Spring Security through the application's own security filter chains (see
 * {@link SpringSecurityAuthorizer} and {@link FastCgiAuthorizerConfigurer}), without it through
 * the application's {@link FastCgiAuthorizer} bean. With neither the application does not start.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "fastcgi.enabled", matchIfMissing = true)
@Conditional(FastCgiAuthorizerAutoConfiguration.AuthorizerModeCondition.class)
@EnableConfigurationProperties(FastCgiAuthorizerProperties.class)
public final class FastCgiAuthorizerAutoConfiguration {

	static final String NO_AUTHORIZER = "fastcgi.mode includes authorizer, but nothing decides authorizer requests. "
			+ "Add Spring Security (spring-boot-starter-security), whose filter chains then decide them, or declare a "
			+ "bean of type " + FastCgiAuthorizer.class.getName() + "; or remove authorizer from fastcgi.mode.";

	@Bean
	FilterRegistrationBean<FastCgiAuthorizerFilter> fastCgiAuthorizerFilter(
			ObjectProvider<FastCgiAuthorizer> authorizer, FastCgiAuthorizerProperties properties) {
		FastCgiAuthorizer decider = authorizer.getIfAvailable();
		if (decider == null) {
			throw new IllegalStateException(NO_AUTHORIZER);
		}
		FilterRegistrationBean<FastCgiAuthorizerFilter> registration = new FilterRegistrationBean<>(
				new FastCgiAuthorizerFilter(decider, properties.isDispatchToApplication()));
		// last, in place of the servlet: what reaches it passed all of the application's filters
		registration.setOrder(Ordered.LOWEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<AuthorizerDecisionRecordingFilter> authorizerDecisionRecordingFilter(
			ObjectProvider<AuthorizerDecisionListener> listeners) {
		FilterRegistrationBean<AuthorizerDecisionRecordingFilter> registration = new FilterRegistrationBean<>(
				new AuthorizerDecisionRecordingFilter(listeners.orderedStream().toList()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ SecurityContextHolder.class, HttpSecurity.class })
	static class SpringSecurityAuthorizerConfiguration {

		@Bean
		@ConditionalOnMissingBean(FastCgiAuthorizer.class)
		SpringSecurityAuthorizer springSecurityAuthorizer(ObjectProvider<SecurityContextHolderStrategy> strategy,
				ObjectProvider<AuthorizerVariablesContributor> contributors) {
			return new SpringSecurityAuthorizer(strategy.getIfUnique(SecurityContextHolder::getContextHolderStrategy),
					contributors.orderedStream().toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MicrometerConfiguration {

		@Bean
		MicrometerAuthorizerDecisionCounter micrometerAuthorizerDecisionCounter(MeterRegistry registry) {
			return new MicrometerAuthorizerDecisionCounter(registry);
		}

	}

	/** Matches when {@code fastcgi.mode} lists {@code authorizer}. */
	static final class AuthorizerModeCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Set<Role> mode = Binder.get(context.getEnvironment())
				.bind("fastcgi.mode", Bindable.setOf(Role.class))
				.orElse(Set.of(Role.RESPONDER));
			return mode.contains(Role.AUTHORIZER) ? ConditionOutcome.match("fastcgi.mode includes authorizer")
					: ConditionOutcome.noMatch("fastcgi.mode " + mode + " does not include authorizer");
		}

	}

}
