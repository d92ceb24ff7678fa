package dev.fastcgi.sample.differential;

import org.springframework.boot.SpringApplication;

import dev.fastcgi.sample.SampleApplication;

/**
 * The sample application with the {@link #PROFILE differential profile} active, which adds
 * {@link DifferentialEndpoints} and {@link DifferentialSecurity}. {@link DifferentialIT} runs it
 * once on embedded Tomcat and once over FastCGI.
 */
public final class DifferentialApplication {

	static final String PROFILE = "differential";

	private DifferentialApplication() {
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setAdditionalProfiles(PROFILE);
		application.run(args);
	}

}
