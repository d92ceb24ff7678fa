package dev.fastcgi.sample.e2e;

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

	NGINX {

		@Override
		public WebServerProcess start(String config) {
			return WebServerProcess.nginx(config);
		}

		@Override
		public String fastCgiRoute(String prefix, FastCgiAddress application) {
			return FastCgiRoutes.nginxFastCgiPass(prefix, application);
		}

	},

	LIGHTTPD {

		@Override
		public WebServerProcess start(String config) {
			return WebServerProcess.lighttpd(config);
		}

		@Override
		public String fastCgiRoute(String prefix, FastCgiAddress application) {
			return FastCgiRoutes.lighttpdFastCgiServer(prefix, application);
		}

	},

	APACHE {

		@Override
		public WebServerProcess start(String config) {
			return WebServerProcess.apache(config);
		}

		@Override
		public String fastCgiRoute(String prefix, FastCgiAddress application) {
			return FastCgiRoutes.apacheProxyPass(prefix, application);
		}

	};

	/** Starts the server with a fragment in its own syntax; see the {@link WebServerProcess} factories. */
	public abstract WebServerProcess start(String config);

	/** The fragment routing {@code prefix} to a FastCGI application that is already running. */
	public abstract String fastCgiRoute(String prefix, FastCgiAddress application);

	public WebServerProcess startForwarding(String prefix, FastCgiAddress application) {
		return start(fastCgiRoute(prefix, application));
	}

}
