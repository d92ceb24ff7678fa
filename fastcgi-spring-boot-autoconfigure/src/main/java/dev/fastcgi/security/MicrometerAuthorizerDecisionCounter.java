package dev.fastcgi.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts authorizer decisions as {@code fastcgi.authorizer.decisions}, tagged
 * {@code outcome=allowed} or {@code outcome=denied}. Both counters exist from the start, so a
 * dashboard shows zero denials rather than no data.
 */
public class MicrometerAuthorizerDecisionCounter implements AuthorizerDecisionListener {

	static final String METER_NAME = "fastcgi.authorizer.decisions";

	private final Counter allowed;

	private final Counter denied;

	public MicrometerAuthorizerDecisionCounter(MeterRegistry registry) {
		this.allowed = counter(registry, "allowed");
		this.denied = counter(registry, "denied");
	}

	private static Counter counter(MeterRegistry registry, String outcome) {
		return Counter.builder(METER_NAME)
			.description("Requests answered in the FastCGI authorizer role")
			.tag("outcome", outcome)
			.register(registry);
	}

	@Override
	public void decided(HttpServletRequest request, int status) {
		((status == HttpServletResponse.SC_OK) ? this.allowed : this.denied).increment();
	}

}
