package dev.fastcgi.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs every configuration of the same application behind one nginx, interleaved, and writes
 * {@code results.md}, {@code chart.svg} and {@code raw.csv}. Started by {@code benchmarks/run.sh}.
 */
public final class BenchmarkRunner {

	static final int UPLOAD_BYTES = 1024 * 1024;

	private final Setup setup;

	private final Path logs;

	private final Map<String, App> apps = new LinkedHashMap<>();

	private final List<Config> configs = new ArrayList<>();

	private final Results results = new Results();

	private Process nginx;

	private BenchmarkRunner(Setup setup) {
		this.setup = setup;
		this.logs = setup.work.resolve("logs");
	}

	public static void main(String[] args) throws Exception {
		BenchmarkRunner runner = new BenchmarkRunner(new Setup(args));
		try {
			runner.run();
		}
		finally {
			runner.stopAll();
		}
	}

	/** The workloads; each runs against every configuration. */
	enum Workload {

		JSON("/json", "small JSON GET (Spring MVC)"), PLAIN("/plain", "plain servlet GET (no Spring MVC)"),
		BYTES("/bytes/100k", "100 KB response (Spring MVC)"), UPLOAD("/upload", "1 MB POST consumed (Spring MVC)");

		final String path;

		final String description;

		Workload(String path, String description) {
			this.path = path;
			this.description = description;
		}

	}

	/** A process serving the application (or the C responder). */
	static final class App {

		final String id;

		final String description;

		final List<String> command;

		final Path socket;

		final int port;

		Process process;

		String failure;

		App(String id, String description, List<String> command, Path socket, int port) {
			this.id = id;
			this.description = description;
			this.command = command;
			this.socket = socket;
			this.port = port;
		}

		boolean running() {
			return this.process != null && this.process.isAlive() && this.failure == null;
		}

		/** The jcmd of the JDK the application runs on, to attach to it. */
		String jcmd() {
			return Path.of(this.command.get(0)).resolveSibling("jcmd").toString();
		}

	}

	/**
	 * One column of the results: an nginx server block in front of an application.
	 * @param number the configuration's number in the issue
	 * @param peer the configuration req/s ratios are taken against: Tomcat on the same JDK
	 */
	record Config(String id, String number, String label, int port, String app, String nginxLocation,
			String description, String peer) {
	}

	private void run() throws Exception {
		Files.createDirectories(this.logs);
		Files.createDirectories(this.setup.results);
		this.results.started = Instant.now();
		this.results.machine = Machine.describe(this.setup);
		defineApps();
		defineConfigs();
		startApps();
		startNginx();
		checkConfigs();
		List<Config> live = this.configs.stream().filter((config) -> this.results.unavailable.get(config.id) == null).toList();
		warmUp(live);
		measure(live);
		for (App app : this.apps.values()) {
			if (app.running() && !app.id.equals("libfcgi")) {
				this.results.memory.put(app.id, memoryAfterRun(app));
			}
		}
		try {
			profile(live);
		}
		catch (Exception ex) {
			log("profiling failed: " + ex);
		}
		stopNginx();
		try {
			measureIdleConnections();
		}
		catch (Exception ex) {
			log("idle connections failed: " + ex);
		}
		stopApps();
		this.results.jmh = Jmh.run(this.setup, this.logs);
		this.results.finished = Instant.now();
		new Report(this.setup, this.configs, this.apps, this.results).write();
		log("results in " + this.setup.results);
	}

	private void defineApps() throws IOException {
		Path work = this.setup.work;
		String java17 = this.setup.jdk17.resolve("bin/java").toString();
		List<String> jvm = List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.net.preferIPv4Stack=true");
		String main = "dev.fastcgi.bench.BenchApplication";
		this.apps.put("fcgi-unix", app("fcgi-unix", "FastCGI starter, UNIX socket, JDK 17, platform threads", java17, jvm,
				this.setup.classpath("app"), main, work.resolve("fcgi.sock"), 0,
				"--fastcgi.socket=unix:" + work.resolve("fcgi.sock")));
		// config 1k has a process of its own, so that each process's memory after the run is
		// that of one configuration's workload, as Tomcat's is
		this.apps.put("fcgi-unix-ka", app("fcgi-unix-ka", "FastCGI starter, UNIX socket (keep-conn), JDK 17, platform threads",
				java17, jvm, this.setup.classpath("app"), main, work.resolve("fcgi-ka.sock"), 0,
				"--fastcgi.socket=unix:" + work.resolve("fcgi-ka.sock")));
		this.apps.put("fcgi-tcp", app("fcgi-tcp", "FastCGI starter, TCP 127.0.0.1:19002, JDK 17, platform threads", java17,
				jvm, this.setup.classpath("app"), main, null, 19002, "--fastcgi.socket=tcp:127.0.0.1:19002"));
		this.apps.put("tomcat", app("tomcat", "embedded Tomcat, HTTP 127.0.0.1:19003, JDK 17, platform threads", java17,
				jvm, this.setup.classpath("app-tomcat"), main, null, 19003, "--fastcgi.enabled=false",
				"--server.address=127.0.0.1", "--server.port=19003"));
		this.apps.put("jetty", app("jetty", "embedded Jetty 12.1.10 + jetty-fcgi-server, FastCGI TCP 127.0.0.1:19005, JDK 17",
				java17, jvm, this.setup.classpath("app-jetty"), main, null, 19005, "--fastcgi.enabled=false",
				"--server.address=127.0.0.1", "--server.port=19004", "--bench.jetty.fcgi-port=19005"));
		if (this.setup.jdk25 != null) {
			this.apps.put("fcgi-unix-vt", app("fcgi-unix-vt", "FastCGI starter, UNIX socket, JDK 25, virtual threads",
					this.setup.jdk25.resolve("bin/java").toString(), jvm, this.setup.classpath("app"), main,
					work.resolve("fcgi-vt.sock"), 0, "--fastcgi.socket=unix:" + work.resolve("fcgi-vt.sock"),
					"--spring.threads.virtual.enabled=true"));
			this.apps.put("tomcat-25", app("tomcat-25", "embedded Tomcat, HTTP 127.0.0.1:19006, JDK 25, platform threads",
					this.setup.jdk25.resolve("bin/java").toString(), jvm, this.setup.classpath("app-tomcat"), main, null,
					19006, "--fastcgi.enabled=false", "--server.address=127.0.0.1", "--server.port=19006"));
		}
		Path cSocket = work.resolve("libfcgi.sock");
		this.apps.put("libfcgi", new App("libfcgi", "C responder on libfcgi, UNIX socket, 16 threads",
				List.of(this.setup.responder.toString(), cSocket.toString(), "16"), cSocket, 0));
	}

	private static App app(String id, String description, String java, List<String> jvm, String classpath,
			String main, Path socket, int port, String... properties) {
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(jvm);
		command.add("-cp");
		command.add(classpath);
		command.add(main);
		command.addAll(List.of(properties));
		return new App(id, description, command, socket, port);
	}

	private void defineConfigs() {
		Path work = this.setup.work;
		String fcgi = "include " + work.resolve("fastcgi_params.conf") + ";";
		this.configs.add(new Config("fcgi-unix", "1", "FastCGI unix", 18081, "fcgi-unix",
				fcgi + " fastcgi_pass unix:" + work.resolve("fcgi.sock") + ";",
				"nginx `fastcgi_pass unix:` (a new connection per request) → this starter", "tomcat"));
		this.configs.add(new Config("fcgi-unix-ka", "1k", "FastCGI unix keep-conn", 18082, "fcgi-unix-ka",
				fcgi + " fastcgi_keep_conn on; fastcgi_pass fcgi_unix;",
				"nginx `fastcgi_pass` unix upstream, `fastcgi_keep_conn on` + `keepalive` → this starter", "tomcat"));
		this.configs.add(new Config("fcgi-tcp-ka", "2", "FastCGI TCP keep-conn", 18083, "fcgi-tcp",
				fcgi + " fastcgi_keep_conn on; fastcgi_pass fcgi_tcp;",
				"nginx `fastcgi_pass` TCP loopback upstream, `fastcgi_keep_conn on` + `keepalive` → this starter", "tomcat"));
		this.configs.add(new Config("tomcat", "3", "Tomcat proxy_pass", 18084, "tomcat",
				proxyTo("tomcat"),
				"nginx `proxy_pass` HTTP/1.1 upstream with `keepalive` → the same application on embedded Tomcat", "tomcat"));
		this.configs.add(new Config("jetty", "4", "Jetty FastCGI keep-conn", 18085, "jetty",
				fcgi + " fastcgi_keep_conn on; fastcgi_pass jetty;",
				"nginx `fastcgi_pass` TCP upstream, `fastcgi_keep_conn on` + `keepalive` → the same application on Jetty 12 `jetty-fcgi-server`", "tomcat"));
		if (this.apps.containsKey("fcgi-unix-vt")) {
			this.configs.add(new Config("fcgi-unix-ka-vt", "1k-vt", "FastCGI unix keep-conn JDK 25 VT", 18088,
					"fcgi-unix-vt", fcgi + " fastcgi_keep_conn on; fastcgi_pass fcgi_unix_vt;",
					"as 1k, the application on JDK 25 with `spring.threads.virtual.enabled=true`", "tomcat-25"));
			this.configs.add(new Config("tomcat-25", "3-25", "Tomcat proxy_pass JDK 25", 18089, "tomcat-25",
					proxyTo("tomcat_25"),
					"as 3, the application on JDK 25 (platform threads, Tomcat's faster setting there): the peer of 1k-vt",
					"tomcat-25"));
		}
		this.configs.add(new Config("nginx", "5a", "nginx return 200", 18086, null, null,
				"ceiling: nginx answers itself (`return 200`, the 100 KB file from disk, the upload read and dropped)", "tomcat"));
		this.configs.add(new Config("libfcgi", "5b", "libfcgi C responder", 18087, "libfcgi",
				fcgi + " fastcgi_pass unix:" + work.resolve("libfcgi.sock") + ";",
				"ceiling: nginx `fastcgi_pass unix:` (a new connection per request) → a minimal C responder on libfcgi", "tomcat"));
	}

	private static String proxyTo(String upstream) {
		return "proxy_pass http://" + upstream
				+ "; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host $host;";
	}

	private void startApps() throws Exception {
		for (App app : this.apps.values()) {
			if (app.socket != null) {
				Files.deleteIfExists(app.socket);
			}
			ProcessBuilder builder = new ProcessBuilder(app.command).redirectErrorStream(true)
				.redirectOutput(this.logs.resolve(app.id + ".log").toFile());
			app.process = builder.start();
			log("started " + app.id + " (pid " + app.process.pid() + ")");
		}
		for (App app : this.apps.values()) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
			while (!canConnect(app)) {
				if (!app.process.isAlive()) {
					app.failure = "exited with " + app.process.exitValue() + " at start, see logs/" + app.id + ".log";
					break;
				}
				if (System.nanoTime() > deadline) {
					app.failure = "did not listen within 180 s";
					break;
				}
				Thread.sleep(200);
			}
			log(app.id + ((app.failure != null) ? " failed: " + app.failure : " is listening"));
		}
	}

	private static boolean canConnect(App app) {
		try {
			if (app.socket != null) {
				if (!Files.exists(app.socket)) {
					return false;
				}
				try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
					channel.connect(UnixDomainSocketAddress.of(app.socket));
				}
			}
			else {
				try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", app.port))) {
					// connected
				}
			}
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void startNginx() throws Exception {
		Path conf = Nginx.write(this.setup, this.configs);
		this.nginx = new ProcessBuilder("nginx", "-p", this.setup.work.toString(), "-c", conf.toString(), "-g",
				"daemon off;")
			.redirectErrorStream(true)
			.redirectOutput(this.logs.resolve("nginx.out").toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		for (Config config : this.configs) {
			while (!canConnect(new App("nginx", "", List.of(), null, config.port))) {
				if (!this.nginx.isAlive() || System.nanoTime() > deadline) {
					throw new IllegalStateException("nginx did not start, see " + this.logs.resolve("nginx-error.log")
							+ " and " + this.logs.resolve("nginx.out"));
				}
				Thread.sleep(100);
			}
		}
		log("nginx is listening");
	}

	/** Every configuration must answer every workload correctly before it is measured. */
	private void checkConfigs() throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		byte[] upload = new byte[UPLOAD_BYTES];
		for (Config config : this.configs) {
			App app = (config.app != null) ? this.apps.get(config.app) : null;
			if (app != null && !app.running()) {
				this.results.unavailable.put(config.id, config.app + " " + app.failure);
				continue;
			}
			for (Workload workload : Workload.values()) {
				URI uri = URI.create("http://127.0.0.1:" + config.port + workload.path);
				HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
				if (workload == Workload.UPLOAD) {
					request.POST(HttpRequest.BodyPublishers.ofByteArray(upload))
						.header("Content-Type", "application/octet-stream");
				}
				String problem;
				try {
					HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
					problem = checkResponse(workload, response);
				}
				catch (IOException ex) {
					problem = ex.toString();
				}
				if (problem != null) {
					this.results.unavailable.put(config.id, workload.path + ": " + problem);
					log(config.id + " fails its check: " + workload.path + ": " + problem);
					break;
				}
			}
		}
	}

	private static String checkResponse(Workload workload, HttpResponse<byte[]> response) {
		if (response.statusCode() != 200) {
			return "status " + response.statusCode();
		}
		String body = new String(response.body(), StandardCharsets.ISO_8859_1);
		return switch (workload) {
			case JSON -> body.contains("Hello, World!") ? null : "unexpected body " + body;
			case PLAIN -> body.equals("Hello, World!\n") ? null : "unexpected body " + body;
			case BYTES -> (response.body().length == 100 * 1024) ? null : "body of " + response.body().length + " bytes";
			case UPLOAD -> body.contains("bytes") ? null : "unexpected body " + body;
		};
	}

	private void warmUp(List<Config> live) throws Exception {
		for (Config config : live) {
			for (Workload workload : Workload.values()) {
				Wrk.run(this.setup, config.port, workload, 64, this.setup.warmup);
			}
			log("warmed up " + config.id);
		}
	}

	private void measure(List<Config> live) throws Exception {
		Path raw = this.setup.results.resolve("raw.csv");
		StringBuilder csv = new StringBuilder(
				"workload,concurrency,round,config,requests_per_second,p50_ms,p99_ms,non2xx,socket_errors,requests\n");
		for (Workload workload : Workload.values()) {
			for (int concurrency : this.setup.concurrencies) {
				Map<String, List<Measurement>> rounds = new LinkedHashMap<>();
				for (int round = 1; round <= this.setup.rounds; round++) {
					for (Config config : live) {
						Measurement measurement = Wrk.run(this.setup, config.port, workload, concurrency,
								this.setup.duration);
						rounds.computeIfAbsent(config.id, (id) -> new ArrayList<>()).add(measurement);
						csv.append(workload.name().toLowerCase(Locale.ROOT)).append(',').append(concurrency).append(',')
							.append(round).append(',').append(config.id).append(',').append(measurement.csv()).append('\n');
						log(String.format(Locale.ROOT, "%-6s c=%-3d round %d %-16s %9.0f req/s p50 %7.2f ms p99 %8.2f ms errors %d",
								workload, concurrency, round, config.id, measurement.requestsPerSecond(),
								measurement.p50Millis(), measurement.p99Millis(), measurement.errors()));
					}
				}
				rounds.forEach((id, list) -> this.results.put(workload, concurrency, id, Measurement.combine(list)));
				Files.writeString(raw, csv);
			}
		}
	}

	/** JFR on the starter (config 1k) and on Tomcat (config 3) under small JSON GETs at 64 connections. */
	private void profile(List<Config> live) throws Exception {
		for (String id : List.of("fcgi-unix-ka", "tomcat")) {
			Config config = live.stream().filter((candidate) -> candidate.id.equals(id)).findFirst().orElse(null);
			if (config == null) {
				continue;
			}
			App app = this.apps.get(config.app);
			Path recording = this.setup.work.resolve(config.app + ".jfr");
			String pid = Long.toString(app.process.pid());
			exec(app.jcmd(), pid, "JFR.start", "name=bench", "settings=" + profileSettings(), "filename=" + recording);
			Wrk.run(this.setup, config.port, Workload.JSON, 64, this.setup.profileSeconds);
			exec(app.jcmd(), pid, "JFR.stop", "name=bench");
			this.results.profiles.put(config.id, JfrSummary.read(recording, "dev.fastcgi."));
			log("profiled " + config.id);
		}
	}

	/** JDK 17's {@code profile} settings with Java methods sampled every millisecond instead of every 10. */
	private Path profileSettings() throws IOException {
		Path settings = this.setup.work.resolve("profile-1ms.jfc");
		if (!Files.exists(settings)) {
			String profile = Files.readString(this.setup.jdk17.resolve("lib/jfr/profile.jfc"));
			Files.writeString(settings, profile.replaceFirst(
					"(?s)(<event name=\"jdk\\.ExecutionSample\">.*?<setting name=\"period\"[^>]*>)[^<]*(</setting>)",
					"$11 ms$2"));
		}
		return settings;
	}

	private void measureIdleConnections() throws Exception {
		int count = this.setup.idleConnections;
		for (String id : List.of("fcgi-unix", "fcgi-unix-vt", "tomcat", "tomcat-25")) {
			App app = this.apps.get(id);
			if (app == null || !app.running()) {
				continue;
			}
			long before = rssAfterCollection(app);
			try (IdleConnections connections = (app.socket != null) ? IdleConnections.fastCgi(app.socket, count)
					: IdleConnections.http(app.port, count)) {
				long after = rssAfterCollection(app);
				this.results.idle.put(id, new long[] { before, after, connections.size() });
				log(String.format(Locale.ROOT, "%s: %d idle connections, RSS %d -> %d KB, %.1f KB each", id,
						connections.size(), before, after, (after - before) / (double) connections.size()));
			}
			catch (IOException ex) {
				this.results.idleFailures.put(id, ex.toString());
				log(id + ": idle connections failed: " + ex);
			}
		}
	}

	/** Read in this order: the full collection that finds the live heap may shrink the rest. */
	private Results.MemoryAfterRun memoryAfterRun(App app) throws IOException, InterruptedException {
		String pid = Long.toString(app.process.pid());
		long rss = Machine.rss(app.process.pid());
		long heapCommitted = Machine.heapKb(app.jcmd(), pid, Machine.HEAP_COMMITTED);
		long rssAfterCollection = rssAfterCollection(app);
		return new Results.MemoryAfterRun(rss, heapCommitted, rssAfterCollection, Machine.heapKb(app.jcmd(), pid, "used"));
	}

	/**
	 * The resident set after a full collection: the garbage of the requests that opened the
	 * connections otherwise grows the heap between the two readings by as much as the
	 * connections cost (14 KB per connection in one reading, 0.5 in the next, without it).
	 */
	private long rssAfterCollection(App app) throws IOException, InterruptedException {
		exec(app.jcmd(), Long.toString(app.process.pid()), "GC.run");
		Thread.sleep(1000);
		return Machine.rss(app.process.pid());
	}

	private void exec(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logs.resolve("commands.log").toFile()))
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("Failed: " + String.join(" ", command) + ", see logs/commands.log");
		}
	}

	private void stopNginx() throws InterruptedException {
		if (this.nginx != null && this.nginx.isAlive()) {
			this.nginx.destroy();
			this.nginx.waitFor(20, TimeUnit.SECONDS);
		}
		this.nginx = null;
	}

	private void stopApps() throws InterruptedException {
		for (App app : this.apps.values()) {
			if (app.process != null && app.process.isAlive()) {
				long start = System.nanoTime();
				app.process.destroy();
				if (!app.process.waitFor(15, TimeUnit.SECONDS)) {
					app.process.destroyForcibly();
					log(app.id + " did not stop within 15 s of SIGTERM; killed");
				}
				else {
					log(String.format(Locale.ROOT, "%s stopped in %.1f s", app.id, (System.nanoTime() - start) / 1e9));
				}
			}
		}
	}

	private void stopAll() {
		try {
			stopNginx();
			stopApps();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void log(String message) {
		System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
		System.out.flush();
	}

	static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
