package dev.fastcgi.security;

import java.util.function.Predicate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import dev.fastcgi.client.FastCgiClient;

/**
 * An application served by the auto-configured FastCGI server on a free loopback port, with
 * Tomcat (on the test class path for the tests of running beside it) and any other classes the
 * test names hidden. Closing it closes the application.
 */
final class AuthorizerApplication implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private AuthorizerApplication(ConfigurableApplicationContext context) {
		this.context = context;
	}

	static AuthorizerApplication start(Class<?> configuration, Predicate<String> hiddenClasses, String... args) {
		SpringApplication application = new SpringApplication(configuration);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		Predicate<String> tomcat = (name) -> name.startsWith("org.apache.catalina.");
		application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader(tomcat.or(hiddenClasses))));
		String[] arguments = new String[args.length + 1];
		arguments[0] = "--fastcgi.socket=tcp:127.0.0.1:0";
		System.arraycopy(args, 0, arguments, 1, args.length);
		return new AuthorizerApplication(application.run(arguments));
	}

	FastCgiClient client() {
		return FastCgiClient.tcp("127.0.0.1", ((WebServerApplicationContext) this.context).getWebServer().getPort());
	}

	<T> T getBean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
