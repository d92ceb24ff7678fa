package dev.fastcgi.boot;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.startup.Tomcat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Runs a test application with FastCGI as its only web server, on a free loopback port.
 */
final class StandaloneApplication {

	private StandaloneApplication() {
	}

	static ConfigurableApplicationContext run(Class<?> source, String... args) {
		SpringApplication application = new SpringApplication(source);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		// Tomcat is on the test classpath for the tests of running beside it
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader(Tomcat.class)));
		List<String> arguments = new ArrayList<>(List.of("--fastcgi.socket=tcp:127.0.0.1:0"));
		arguments.addAll(List.of(args));
		return application.run(arguments.toArray(String[]::new));
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
