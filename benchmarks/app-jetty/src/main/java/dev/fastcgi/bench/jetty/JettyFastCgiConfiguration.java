package dev.fastcgi.bench.jetty;

import org.eclipse.jetty.fcgi.server.ServerFCGIConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adds Jetty's own FastCGI connector ({@code jetty-fcgi-server}) beside the HTTP one, the way a
 * user of Jetty 12 serves FastCGI. Only on the Jetty benchmark classpath.
 */
@Configuration(proxyBeanMethods = false)
class JettyFastCgiConfiguration {

	@Bean
	WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> jettyFastCgiConnector(
			@Value("${bench.jetty.fcgi-port:9100}") int port) {
		return (factory) -> factory.addServerCustomizers((server) -> {
			ServerConnector connector = new ServerConnector(server,
					new ServerFCGIConnectionFactory(new HttpConfiguration()));
			connector.setHost("127.0.0.1");
			connector.setPort(port);
			// the default backlog of 50 drops connections at 64 concurrent clients
			connector.setAcceptQueueSize(1024);
			server.addConnector(connector);
		});
	}

}
