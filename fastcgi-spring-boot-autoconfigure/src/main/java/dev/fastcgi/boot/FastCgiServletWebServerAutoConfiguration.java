package dev.fastcgi.boot;

import jakarta.servlet.ServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.servlet.ServletWebServerConfiguration;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import dev.fastcgi.server.FastCgiServer;

/**
 * Serves a servlet web application over FastCGI. With no other embedded servlet server on the
 * classpath the FastCGI server is the application's web server.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
		"org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ ServletRequest.class, FastCgiServer.class })
@ConditionalOnBooleanProperty(name = "fastcgi.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ ServerProperties.class, FastCgiProperties.class })
public final class FastCgiServletWebServerAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass({ "org.apache.catalina.startup.Tomcat", "org.eclipse.jetty.server.Server",
			"io.undertow.Undertow" })
	@ConditionalOnMissingBean(value = ServletWebServerFactory.class, search = SearchStrategy.CURRENT)
	@Import(ServletWebServerConfiguration.class)
	static class StandaloneConfiguration {

		@Bean
		FastCgiServletWebServerFactory fastCgiServletWebServerFactory(FastCgiProperties properties,
				ObjectProvider<FastCgiServerCustomizer> customizers, Environment environment) {
			FastCgiServletWebServerFactory factory = new FastCgiServletWebServerFactory(properties);
			factory.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
			customizers.orderedStream().forEach(factory::addServerCustomizers);
			return factory;
		}

	}

}
