package dev.fastcgi.boot;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Meters and a health indicator for the FastCGI server, when Micrometer and Spring Boot's health
 * support are on the classpath. Both are {@link dev.fastcgi.server.ServerListener} beans, which
 * the server factory tells of what happens.
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
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		/** Named so that the health endpoint shows it as {@code fastcgi}. */
		@Bean
		@ConditionalOnMissingBean
		FastCgiHealthIndicator fastcgiHealthIndicator() {
			return new FastCgiHealthIndicator();
		}

	}

}
