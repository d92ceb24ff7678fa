package dev.fastcgi.sample.e2e;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The three web servers, for tests that make the same requests behind each:
 * <pre>
 * &#64;ParameterizedTest
 * &#64;EnumSource(WebServerKind.class)
 * void greets(WebServerKind kind) throws Exception {
 *     try (SampleAppProcess app = SampleAppProcess.startOnUnixSocket();
 *             WebServerProcess server = kind.startForwarding("/", app.address())) {
 *         ...
 *     }
 * }
 * </pre>
 */
public enum WebServerKind {

	NGINX(WebServerProcess::nginx, FastCgiRoutes::nginxFastCgiPass),

	LIGHTTPD(WebServerProcess::lighttpd, FastCgiRoutes::lighttpdFastCgiServer),

	APACHE(WebServerProcess::apache, FastCgiRoutes::apacheProxyPass);

	private final Function<String, WebServerProcess> starter;

	private final BiFunction<String, FastCgiAddress, String> router;

	WebServerKind(Function<String, WebServerProcess> starter, BiFunction<String, FastCgiAddress, String> router) {
		this.starter = starter;
		this.router = router;
	}

	/** Starts the server with a fragment in its own syntax; see the {@link WebServerProcess} factories. */
	public WebServerProcess start(String config) {
		return this.starter.apply(config);
	}

	/** The fragment routing {@code prefix} to a FastCGI application that is already running. */
	public String fastCgiRoute(String prefix, FastCgiAddress application) {
		return this.router.apply(prefix, application);
	}

	public WebServerProcess startForwarding(String prefix, FastCgiAddress application) {
		return start(fastCgiRoute(prefix, application));
	}

}
