package dev.fastcgi.boot;

import jakarta.servlet.ServletRequest;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
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
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import dev.fastcgi.server.FastCgiServer;
import dev.fastcgi.server.ServerListener;

/**
 * Serves a servlet web application over FastCGI. With no other embedded servlet server on the
 * classpath the FastCGI server is the application's web server; with Tomcat, Jetty or Undertow
 * present it listens beside it and serves the same servlets and filters.
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
				ObjectProvider<FastCgiServerCustomizer> customizers, ObjectProvider<ServerListener> listeners,
				Environment environment) {
			return configuredFactory(properties, customizers, listeners, environment);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.web.servlet.ServletContextInitializerBeans")
	@Conditional(OtherServletContainerCondition.class)
	static class BesideServletContainerConfiguration {

		@Bean
		FastCgiBesideServletContainer fastCgiBesideServletContainer(FastCgiProperties properties,
				ObjectProvider<FastCgiServerCustomizer> customizers, ObjectProvider<ServerListener> listeners,
				Environment environment, ListableBeanFactory beanFactory) {
			return new FastCgiBesideServletContainer(configuredFactory(properties, customizers, listeners, environment),
					beanFactory);
		}

	}

	private static FastCgiServletWebServerFactory configuredFactory(FastCgiProperties properties,
			ObjectProvider<FastCgiServerCustomizer> customizers, ObjectProvider<ServerListener> listeners,
			Environment environment) {
		FastCgiServletWebServerFactory factory = new FastCgiServletWebServerFactory(properties);
		factory.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
		factory.setWebServerAddrs(environment.getProperty("FCGI_WEB_SERVER_ADDRS"));
		factory.setServerListener(ServerListener.of(listeners.orderedStream().toList()));
		customizers.orderedStream().forEach(factory::addServerCustomizers);
		return factory;
	}

	/** Matches when Tomcat, Jetty or Undertow is on the classpath to serve the application. */
	static final class OtherServletContainerCondition extends AnyNestedCondition {

		OtherServletContainerCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
		static class Tomcat {

		}

		@ConditionalOnClass(name = "org.eclipse.jetty.server.Server")
		static class Jetty {

		}

		@ConditionalOnClass(name = "io.undertow.Undertow")
		static class Undertow {

		}

	}

}
