package dev.fastcgi.sample.e2e;

import java.nio.file.Path;

/**
 * Config fragments that route a URL prefix to a FastCGI application, one per web server, in the
 * form the server's own documentation gives. Pass them to the {@link WebServerProcess}
 * factories; a test needing more (keep-alive pools, authorizers) writes its own fragment.
 */
public final class FastCgiRoutes {

	private FastCgiRoutes() {
	}

	/**
	 * An nginx {@code location} (for {@link WebServerProcess#nginx(String)}) passing
	 * {@code prefix} to the application with Debian's stock {@code fastcgi_params}.
	 */
	public static String nginxFastCgiPass(String prefix, FastCgiAddress application) {
		return """
				location %s {
					include /etc/nginx/fastcgi_params;
					fastcgi_pass %s;
				}
				""".formatted(prefix, nginxAddress(application));
	}

	/** A lighttpd {@code fastcgi.server} routing {@code prefix} to an application already running. */
	public static String lighttpdFastCgiServer(String prefix, FastCgiAddress application) {
		return lighttpdFastCgiServer(prefix, lighttpdAddress(application));
	}

	/**
	 * A lighttpd {@code fastcgi.server} that spawns {@code program} itself with a listening socket
	 * at {@code listenAt} as its file descriptor 0, and routes {@code prefix} to it. One process,
	 * not lighttpd's default four: each would be a whole JVM.
	 */
	public static String lighttpdBinPath(String prefix, FastCgiAddress listenAt, Path program) {
		return lighttpdBinPath(prefix, listenAt, program, 1);
	}

	/**
	 * A lighttpd {@code fastcgi.server} that spawns {@code processes} copies of {@code program},
	 * each with a listening socket of its own ({@code listenAt} with {@code -0}, {@code -1}
	 * appended, or the port plus 0, 1) as its file descriptor 0.
	 */
	public static String lighttpdBinPath(String prefix, FastCgiAddress listenAt, Path program, int processes) {
		return lighttpdFastCgiServer(prefix, lighttpdAddress(listenAt) + """
				"bin-path" => "%s",
				"max-procs" => %d,
				""".formatted(program.toAbsolutePath(), processes));
	}

	/**
	 * An Apache {@code ProxyPass} through mod_proxy_fcgi routing {@code prefix} to the
	 * application, passing the {@code Authorization} header on (HTTP Basic in the application).
	 */
	public static String apacheProxyPass(String prefix, FastCgiAddress application) {
		return apacheProxyPass(prefix, application, "");
	}

	/**
	 * {@link #apacheProxyPass(String, FastCgiAddress)} with {@code ProxyPass} key=value
	 * parameters, e.g. {@code enablereuse=on}.
	 */
	public static String apacheProxyPass(String prefix, FastCgiAddress application, String parameters) {
		return """
				ProxyPass "%s" "%s" %s
				<Location "%s">
					CGIPassAuth On
				</Location>
				""".formatted(prefix, apacheUrl(application), parameters, prefix);
	}

	private static String lighttpdFastCgiServer(String prefix, String backendOptions) {
		// Without "check-local" => "disable" lighttpd only forwards paths that exist in its docroot.
		// "fix-root-scriptname" makes SCRIPT_NAME empty and PATH_INFO the whole path under "/".
		return """
				fastcgi.server = ( "%s" => ((
				%s"check-local" => "disable",
				"fix-root-scriptname" => "enable",
				)))
				""".formatted(prefix, backendOptions);
	}

	private static String nginxAddress(FastCgiAddress address) {
		if (address instanceof FastCgiAddress.Unix unix) {
			return "unix:" + unix.socket();
		}
		FastCgiAddress.Tcp tcp = (FastCgiAddress.Tcp) address;
		return tcp.host() + ":" + tcp.port();
	}

	private static String lighttpdAddress(FastCgiAddress address) {
		if (address instanceof FastCgiAddress.Unix unix) {
			return "\"socket\" => \"%s\",\n".formatted(unix.socket());
		}
		FastCgiAddress.Tcp tcp = (FastCgiAddress.Tcp) address;
		return "\"host\" => \"%s\", \"port\" => %d,\n".formatted(tcp.host(), tcp.port());
	}

	private static String apacheUrl(FastCgiAddress address) {
		if (address instanceof FastCgiAddress.Unix unix) {
			return "unix:%s|fcgi://localhost/".formatted(unix.socket());
		}
		FastCgiAddress.Tcp tcp = (FastCgiAddress.Tcp) address;
		return "fcgi://%s:%d/".formatted(tcp.host(), tcp.port());
	}

}
