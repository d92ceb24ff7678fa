package dev.fastcgi.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@code run.sh} hands over, as {@code --name=value} arguments. */
final class Setup {

	final boolean quick;

	final Path benchmarks;

	final Path work;

	final Path results;

	final Path jdk17;

	final Path jdk25;

	final Path responder;

	final int duration;

	final int warmup;

	final int rounds;

	final int[] concurrencies;

	final int idleConnections;

	final int profileSeconds;

	Setup(String[] args) {
		Map<String, String> options = new TreeMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("Expected --name=value, not " + arg);
			}
			int equals = arg.indexOf('=');
			options.put((equals < 0) ? arg.substring(2) : arg.substring(2, equals),
					(equals < 0) ? "true" : arg.substring(equals + 1));
		}
		this.quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
		this.benchmarks = Path.of(required(options, "benchmarks")).toAbsolutePath();
		this.work = Path.of(required(options, "work")).toAbsolutePath();
		this.results = Path.of(options.getOrDefault("results", this.benchmarks.resolve("results").toString()));
		this.jdk17 = Path.of(required(options, "jdk17"));
		String jdk25 = options.getOrDefault("jdk25", "");
		this.jdk25 = (jdk25.isEmpty() || !Files.isExecutable(Path.of(jdk25, "bin", "java"))) ? null : Path.of(jdk25);
		this.responder = Path.of(required(options, "responder"));
		this.duration = Integer.parseInt(options.getOrDefault("duration", this.quick ? "1" : "5"));
		this.warmup = Integer.parseInt(options.getOrDefault("warmup", this.quick ? "2" : "5"));
		this.rounds = Integer.parseInt(options.getOrDefault("rounds", this.quick ? "1" : "2"));
		this.concurrencies = Arrays.stream(options.getOrDefault("concurrency", this.quick ? "16,64" : "1,16,64,256")
			.split(",")).mapToInt(Integer::parseInt).toArray();
		this.idleConnections = Integer.parseInt(options.getOrDefault("idle-connections", "1000"));
		this.profileSeconds = Integer.parseInt(options.getOrDefault("profile", this.quick ? "3" : "10"));
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("--" + name + "= is required");
		}
		return value;
	}

	/** A module's classes followed by the classpath Maven wrote for it (pom entries dropped). */
	String classpath(String module) throws IOException {
		Path target = this.benchmarks.resolve(module).resolve("target");
		List<String> entries = new ArrayList<>();
		entries.add(target.resolve("classes").toString());
		for (String entry : Files.readString(target.resolve("classpath.txt")).trim().split(java.io.File.pathSeparator)) {
			if (!entry.isBlank() && !entry.endsWith(".pom")) {
				entries.add(entry);
			}
		}
		return String.join(java.io.File.pathSeparator, entries);
	}

}
