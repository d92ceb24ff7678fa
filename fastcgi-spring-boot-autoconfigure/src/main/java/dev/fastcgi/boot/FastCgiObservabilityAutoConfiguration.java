package dev.fastcgi.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Meters and a health indicator for the FastCGI server, when Micrometer and Spring Boot's health
 * support are on the classpath. Both are {@link dev.fastcgi.server.ServerListener} beans, which
 * the server factory tells of what happens. With {@code fastcgi.stderr.log-level} and Logback, log
 * events go to the STDERR of the request whose thread logged them.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "fastcgi.enabled", matchIfMissing = true)
public final class FastCgiObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		FastCgiMetrics fastCgiMetrics(MeterRegistry registry) {
			return new FastCgiMetrics(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(LoggerContext.class)
	static class StderrLogConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@Conditional(StderrLogLevelSetCondition.class)
		StderrLogAppender fastCgiStderrLogAppender(FastCgiProperties properties) {
			return new StderrLogAppender((LoggerContext) LoggerFactory.getILoggerFactory(),
					Level.toLevel(properties.getStderr().getLogLevel().name(), Level.ERROR));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		/** Named so that the health endpoint shows it as {@code fastcgi}. */
		@Bean
		@ConditionalOnMissingBean
		FastCgiHealthIndicator fastcgiHealthIndicator() {
			return new FastCgiHealthIndicator();
		}

	}

	/**
	 * {@code fastcgi.stderr.log-level} set to a level rather than OFF, with Logback as the logging
	 * system.
	 */
	static class StderrLogLevelSetCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			LogLevel level = Binder.get(context.getEnvironment())
				.bind("fastcgi.stderr.log-level", LogLevel.class)
				.orElse(LogLevel.OFF);
			if (level == LogLevel.OFF) {
				return ConditionOutcome.noMatch("fastcgi.stderr.log-level is OFF");
			}
			if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
				return ConditionOutcome.noMatch("Logback is not the logging system");
			}
			return ConditionOutcome.match("fastcgi.stderr.log-level is " + level);
		}

	}

}
