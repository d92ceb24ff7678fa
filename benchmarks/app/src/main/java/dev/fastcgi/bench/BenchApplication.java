package dev.fastcgi.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The application every benchmark configuration serves: the same controllers on the FastCGI
 * starter, on embedded Tomcat and on embedded Jetty; only the classpath and properties differ.
 */
@SpringBootApplication
public class BenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchApplication.class, args);
	}

	/** A servlet outside Spring MVC, to see what the server itself costs. */
	@Bean
	ServletRegistrationBean<PlainServlet> plainServlet() {
		return new ServletRegistrationBean<>(new PlainServlet(), "/plain");
	}

}
