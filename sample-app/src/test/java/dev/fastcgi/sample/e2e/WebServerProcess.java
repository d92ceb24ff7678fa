package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real nginx, lighttpd or Apache running in the foreground with a generated configuration in
 * a fresh {@link ScratchDirectory}, listening on a free port of 127.0.0.1. Closing it stops the
 * server and everything it started ({@code bin-path} children included) and deletes the
 * directory, so use it in try-with-resources:
 * <pre>
 * try (SampleAppProcess app = SampleAppProcess.startOnUnixSocket();
 *         WebServerProcess nginx = WebServerProcess.nginx(FastCgiRoutes.nginxFastCgiPass("/", app.address()))) {
 *     HttpResponse&lt;String&gt; response = E2eHttp.get(nginx.uri("/api/greeting"));
 * }
 * </pre>
 * The factories generate everything that makes a server self-contained (pid file, logs, temp
 * directories, the listening port, docroot {@link #docroot()}); the fragment a test passes
 * adds routes. Fragments may use {@code @DIR@} for the server's directory and {@code @PORT@}
 * for its port. The error log is at {@code @DIR@/logs/error.log} for all three servers, what
 * they print at {@code @DIR@/logs/console.log}.
 * <p>
 * When the tests run as root, nginx workers and Apache children run as {@code nobody}: a UNIX
 * socket they connect to must be writable by others, and its directory traversable (as a
 * {@link ScratchDirectory} is). lighttpd keeps running as root.
 */
public final class WebServerProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	/** lighttpd's own shutdown escalates to SIGKILL for its children only after 16 s. */
	private static final Duration STOP_GRACE = Duration.ofSeconds(30);

	private static final int START_ATTEMPTS = 3;

	private static final String NGINX_CONFIG = """
			# One worker keeps runs comparable; a benchmark wanting more writes its own config.
			worker_processes 1;
			error_log @DIR@/logs/error.log info;
			pid @DIR@/run/nginx.pid;
			events { worker_connections 1024; }
			http {
				include /etc/nginx/mime.types;
				default_type application/octet-stream;
				access_log @DIR@/logs/access.log;
				client_body_temp_path @DIR@/tmp/client_body;
				fastcgi_temp_path @DIR@/tmp/fastcgi;
				proxy_temp_path @DIR@/tmp/proxy;
				uwsgi_temp_path @DIR@/tmp/uwsgi;
				scgi_temp_path @DIR@/tmp/scgi;
			@HTTP@
				server {
					listen 127.0.0.1:@PORT@;
					server_name localhost;
					root @DIR@/www;
			@SERVER@
				}
			}
			""";

	private static final String LIGHTTPD_CONFIG = """
			server.modules = ("mod_fastcgi")
			server.document-root = "@DIR@/www"
			server.bind = "127.0.0.1"
			server.port = @PORT@
			server.errorlog = "@DIR@/logs/error.log"
			server.pid-file = "@DIR@/run/lighttpd.pid"
			server.upload-dirs = ("@DIR@/tmp")
			index-file.names = ("index.html")
			mimetype.assign = (".html" => "text/html", ".txt" => "text/plain", ".css" => "text/css",
				".js" => "text/javascript", ".json" => "application/json")
			@CONFIG@
			""";

	private static final String APACHE_CONFIG = """
			ServerRoot @DIR@
			DefaultRuntimeDir @DIR@/run
			PidFile @DIR@/run/apache2.pid
			Mutex file:@DIR@/run default
			LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
			LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
			LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
			LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
			LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
			LoadModule proxy_fcgi_module /usr/lib/apache2/modules/mod_proxy_fcgi.so
			# Apache refuses to serve as root; when the tests do not run as root these are ignored.
			User nobody
			Group nogroup
			ServerName localhost
			Listen 127.0.0.1:@PORT@
			ErrorLog @DIR@/logs/error.log
			LogLevel info
			LogFormat "%h %l %u %t \\"%r\\" %>s %b" common
			CustomLog @DIR@/logs/access.log common
			TypesConfig /etc/mime.types
			DocumentRoot @DIR@/www
			DirectoryIndex index.html
			@CONFIG@
			""";

	private final String name;

	private final ScratchDirectory directory;

	private final int port;

	private final Process process;

	private WebServerProcess(String name, ScratchDirectory directory, int port, Process process) {
		this.name = name;
		this.directory = directory;
		this.port = port;
		this.process = process;
	}

	/** nginx with {@code serverBlock} inside its {@code server { }} (locations, mostly). */
	public static WebServerProcess nginx(String serverBlock) {
		return nginx("", serverBlock);
	}

	/**
	 * nginx with {@code httpBlock} at the {@code http { }} level (an {@code upstream} with
	 * {@code keepalive}, say) and {@code serverBlock} inside its {@code server { }}.
	 */
	public static WebServerProcess nginx(String httpBlock, String serverBlock) {
		String config = NGINX_CONFIG.replace("@HTTP@", httpBlock).replace("@SERVER@", serverBlock);
		return start("nginx", config, (binary, configFile, directory) -> List.of(binary.toString(), "-p",
				directory + "/", "-e", directory.resolve("logs/error.log").toString(), "-c", configFile.toString(), "-g",
				"daemon off;"));
	}

	/**
	 * lighttpd with {@code config} after the generated settings. Another module is added with
	 * {@code server.modules += ("mod_setenv")}.
	 */
	public static WebServerProcess lighttpd(String config) {
		return start("lighttpd", LIGHTTPD_CONFIG.replace("@CONFIG@", config),
				(binary, configFile, directory) -> List.of(binary.toString(), "-D", "-f", configFile.toString()));
	}

	/**
	 * Apache with {@code config} after the generated settings, which load the event MPM,
	 * mod_proxy and mod_proxy_fcgi; other modules are loaded with {@code LoadModule}.
	 */
	public static WebServerProcess apache(String config) {
		// Debian's apache2ctl would set APACHE_RUN_DIR and friends; they are only read by
		// /etc/apache2/apache2.conf, which a self-contained config passed with -f never includes.
		return start("apache2", APACHE_CONFIG.replace("@CONFIG@", config),
				(binary, configFile, directory) -> List.of(binary.toString(), "-f", configFile.toString(), "-DFOREGROUND"));
	}

	private static WebServerProcess start(String name, String configTemplate, CommandLine commandLine) {
		Path binary = Executables.require(name);
		for (int attempt = 1;; attempt++) {
			ScratchDirectory directory = ScratchDirectory.create("e2e-" + name);
			int port = LoopbackPorts.free();
			WebServerProcess server;
			try {
				for (String subdirectory : List.of("logs", "www", "tmp", "run")) {
					Files.createDirectory(directory.resolve(subdirectory));
				}
				Path configFile = Files.writeString(directory.resolve(name + ".conf"), configTemplate
					.replace("@DIR@", directory.path().toString())
					.replace("@PORT@", Integer.toString(port)));
				Process process = new ProcessBuilder(commandLine.of(binary, configFile, directory.path()))
					.directory(directory.path().toFile())
					.redirectErrorStream(true)
					.redirectOutput(directory.resolve("logs/console.log").toFile())
					.start();
				server = new WebServerProcess(name, directory, port, process);
			}
			catch (IOException ex) {
				directory.close();
				throw new UncheckedIOException(ex);
			}
			String failure = server.awaitAnswering();
			if (failure == null) {
				return server;
			}
			String diagnostics = server.diagnostics();
			server.close();
			// The port was free when picked, but another process may have bound it since.
			if (!diagnostics.contains("Address already in use") || attempt == START_ATTEMPTS) {
				throw new IllegalStateException(name + " " + failure + "\n" + diagnostics);
			}
		}
	}

	/** @return {@code null} once the server answers, otherwise why it does not */
	private String awaitAnswering() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				return "exited with status " + this.process.exitValue() + " before answering HTTP";
			}
			if (answersHttp()) {
				return null;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "was interrupted while waiting for it to answer HTTP";
			}
		}
		return "did not answer HTTP within " + STARTUP_TIMEOUT.toSeconds() + " s";
	}

	/**
	 * Whether the server itself answers. An HTTP/1.1 request without a Host header is rejected
	 * with 400 by all three servers before any routing, so the probe never reaches (nor waits
	 * for) an application behind them.
	 */
	private boolean answersHttp() {
		try (RawHttpConnection connection = RawHttpConnection.open(this.port)) {
			connection.readTimeout(Duration.ofSeconds(2)).send("GET / HTTP/1.1\r\n\r\n").readHead();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	public int port() {
		return this.port;
	}

	/** {@code http://127.0.0.1:PORT/} */
	public URI baseUrl() {
		return URI.create("http://127.0.0.1:" + this.port + "/");
	}

	/** The URI of a path (and query) on this server, e.g. {@code uri("/api/items/1")}. */
	public URI uri(String pathAndQuery) {
		return baseUrl().resolve(pathAndQuery);
	}

	/** The server's scratch directory, {@code @DIR@} in its configuration. */
	public Path directory() {
		return this.directory.path();
	}

	/** The document root, {@code @DIR@/www}; files written there are served at once. */
	public Path docroot() {
		return this.directory.resolve("www");
	}

	public String errorLog() {
		return this.directory.read("logs/error.log");
	}

	/** The server's process and the processes it started, as they are now. */
	public List<ProcessHandle> processes() {
		return ProcessTree.of(this.process);
	}

	/** Everything that explains a failure: the configuration, the console and the error log. */
	public String diagnostics() {
		return "%s on port %d in %s%n--- %s.conf ---%n%s%n--- console ---%n%s%n--- error log ---%n%s".formatted(this.name,
				this.port, this.directory, this.name, this.directory.read(this.name + ".conf"),
				this.directory.read("logs/console.log"), errorLog());
	}

	@Override
	public void close() {
		try {
			ProcessTree.stop(this.process, STOP_GRACE);
		}
		finally {
			this.directory.close();
		}
	}

	@Override
	public String toString() {
		return this.name + " on port " + this.port;
	}

	@FunctionalInterface
	private interface CommandLine {

		List<String> of(Path binary, Path configFile, Path directory);

	}

}
