package dev.fastcgi.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.fastcgi.bench.harness.BenchmarkRunner.App;
import dev.fastcgi.bench.harness.BenchmarkRunner.Config;
import dev.fastcgi.bench.harness.BenchmarkRunner.Workload;

/** Writes {@code results.md} and {@code chart.svg}. */
final class Report {

	private static final String[] COLORS = { "#1f77b4", "#4c9be8", "#2ca02c", "#d62728", "#9467bd", "#17becf", "#7f7f7f",
			"#bcbd22" };

	private final Setup setup;

	private final List<Config> configs;

	private final Map<String, App> apps;

	private final Results results;

	private final StringBuilder md = new StringBuilder();

	Report(Setup setup, List<Config> configs, Map<String, App> apps, Results results) {
		this.setup = setup;
		this.configs = configs;
		this.apps = apps;
		this.results = results;
	}

	void write() throws IOException {
		header();
		targets();
		throughput();
		memory();
		jmh();
		profiles();
		Files.writeString(this.setup.results.resolve("results.md"), this.md);
		Files.writeString(this.setup.results.resolve("chart.svg"), svg());
	}

	private void header() {
		Duration took = Duration.between(this.results.started, this.results.finished);
		line("# Benchmark results");
		line("");
		line("Written by `benchmarks/run.sh`" + (this.setup.quick ? " **in `--quick` mode: smoke test only, too short to trust**" : "")
				+ ". Started " + this.results.started + ", took " + took.toMinutes() + " min " + took.toSecondsPart() + " s.");
		line("");
		line(String.format(Locale.ROOT,
				"Each configuration warmed up first (%d s per workload at 64 connections), then every measurement `wrk -t2 -cN -d%ds --latency` "
						+ "with %d round(s) interleaved (A B C … A B C …) per workload and concurrency; req/s, p50 and p99 are the mean of the rounds, "
						+ "errors their sum (non-2xx + socket errors). All processes (wrk, nginx with 2 workers, the applications) share the machine, "
						+ "so only the ratios within one run mean anything.",
				this.setup.warmup, this.setup.duration, this.setup.rounds));
		line("");
		line("![requests per second at 64 connections](chart.svg)");
		line("");
		line("## Machine");
		line("");
		line("| | |");
		line("|---|---|");
		this.results.machine.forEach((key, value) -> line("| " + key + " | " + value.replace("\n", " ") + " |"));
		line("");
		line("## Configurations");
		line("");
		line("Applications run with `-Xms64m -Xmx512m -XX:+UseG1GC`, each its own JVM, all of the same code (`benchmarks/app`).");
		line("");
		line("| # | id | what | application process |");
		line("|---|---|---|---|");
		for (Config config : this.configs) {
			App app = (config.app() != null) ? this.apps.get(config.app()) : null;
			String unavailable = this.results.unavailable.get(config.id());
			line("| " + config.number() + " | " + config.id() + " | " + config.description()
					+ ((unavailable != null) ? " **— not measured: " + unavailable + "**" : "") + " | "
					+ ((app != null) ? app.description : "nginx only") + " |");
		}
		line("");
	}

	private void targets() {
		line("## Targets");
		line("");
		line("| target | measured | met? |");
		line("|---|---|---|");
		for (String id : List.of("fcgi-unix", "fcgi-unix-ka", "fcgi-unix-ka-vt")) {
			Config config = config(id);
			if (config == null) {
				continue;
			}
			Measurement fcgi = this.results.get(Workload.JSON, 64, id);
			Measurement tomcat = this.results.get(Workload.JSON, 64, config.peer());
			String peer = number(config.peer());
			if (fcgi == null || tomcat == null) {
				line("| config " + number(id) + " ≥ 1.2× config " + peer
						+ " req/s, small JSON, c=64, p99 no worse | not measured (c=64 not in this run?) | — |");
				continue;
			}
			double ratio = fcgi.requestsPerSecond() / tomcat.requestsPerSecond();
			double p99 = fcgi.p99Millis() / tomcat.p99Millis();
			boolean met = ratio >= 1.2 && p99 <= 1.0;
			line(String.format(Locale.ROOT,
					"| config %s ≥ 1.2× config %s req/s on small JSON GET at c=64, p99 no worse | %.2f× req/s (%.0f vs %.0f); p99 %.2f vs %.2f ms (%.2f×) | %s |",
					number(id), peer, ratio, fcgi.requestsPerSecond(), tomcat.requestsPerSecond(), fcgi.p99Millis(),
					tomcat.p99Millis(), p99, met ? "**met**" : "**missed**" + missedBy(ratio, 1.2, p99)));
		}
		for (String id : List.of("fcgi-unix", "fcgi-unix-ka", "fcgi-tcp-ka")) {
			int wins = 0;
			int cells = 0;
			double worst = Double.MAX_VALUE;
			String where = "";
			for (Workload workload : Workload.values()) {
				for (int concurrency : this.setup.concurrencies) {
					Measurement ours = this.results.get(workload, concurrency, id);
					Measurement jetty = this.results.get(workload, concurrency, "jetty");
					if (ours == null || jetty == null) {
						continue;
					}
					cells++;
					double ratio = ours.requestsPerSecond() / jetty.requestsPerSecond();
					if (ratio > 1.0) {
						wins++;
					}
					if (ratio < worst) {
						worst = ratio;
						where = workload.path + " c=" + concurrency;
					}
				}
			}
			if (cells == 0) {
				line("| config " + number(id) + " ahead of config 4 (Jetty) everywhere | Jetty not measured: "
						+ this.results.unavailable.getOrDefault("jetty", "?") + " | — |");
				continue;
			}
			line(String.format(Locale.ROOT, "| config %s ahead of config 4 (Jetty) everywhere | ahead in %d of %d; lowest ratio %.2f× (%s) | %s |",
					number(id), wins, cells, worst, where,
					(wins == cells) ? "**met**" : String.format(Locale.ROOT, "**missed** in %d cells, by up to %.0f%%", cells - wins, (1 - worst) * 100)));
		}
		for (String id : List.of("fcgi-unix", "fcgi-unix-ka")) {
			StringBuilder measured = new StringBuilder();
			double worst = Double.MAX_VALUE;
			for (int concurrency : this.setup.concurrencies) {
				Measurement ours = this.results.get(Workload.PLAIN, concurrency, id);
				Measurement c = this.results.get(Workload.PLAIN, concurrency, "libfcgi");
				if (ours == null || c == null) {
					continue;
				}
				double ratio = ours.requestsPerSecond() / c.requestsPerSecond();
				worst = Math.min(worst, ratio);
				measured.append(String.format(Locale.ROOT, "c=%d: %.2f× (%.0f vs %.0f); ", concurrency, ratio,
						ours.requestsPerSecond(), c.requestsPerSecond()));
			}
			if (worst == Double.MAX_VALUE) {
				continue;
			}
			line(String.format(Locale.ROOT, "| config %s on /plain ≥ 0.7× the libfcgi C responder (5b) | %s | %s |", number(id),
					measured.toString().trim(), (worst >= 0.7) ? "**met**"
							: String.format(Locale.ROOT, "**missed**: lowest %.2f×, %.0f%% short", worst, (0.7 - worst) / 0.7 * 100)));
		}
		for (String id : List.of("fcgi-unix", "fcgi-unix-ka", "fcgi-tcp", "fcgi-unix-vt")) {
			Results.MemoryAfterRun memory = this.results.memory.get(id);
			Results.MemoryAfterRun tomcat = this.results.memory.get(tomcatOnTheSameJdk(id));
			if (memory == null || tomcat == null) {
				continue;
			}
			double ratio = memory.rss() / (double) tomcat.rss();
			line(String.format(Locale.ROOT,
					"| application RSS (%s) no more than Tomcat's on the same JDK | %d MB vs %d MB (%.2f×); outside the heap %d MB vs %d MB (%s); "
							+ "after a full collection %d MB vs %d MB (%s) | %s |",
					id, memory.rss() / 1024, tomcat.rss() / 1024, ratio, memory.rssOutsideHeap() / 1024,
					tomcat.rssOutsideHeap() / 1024, ratio(memory.rssOutsideHeap(), tomcat.rssOutsideHeap()),
					memory.rssAfterCollection() / 1024, tomcat.rssAfterCollection() / 1024,
					ratio(memory.rssAfterCollection(), tomcat.rssAfterCollection()),
					(ratio <= 1.0) ? "**met**" : String.format(Locale.ROOT, "**missed** by %.0f%%", (ratio - 1) * 100)));
		}
		List<String> withErrors = new ArrayList<>();
		this.results.throughput.forEach((workload, byConcurrency) -> byConcurrency
			.forEach((concurrency, byConfig) -> byConfig.forEach((config, measurement) -> {
				if (measurement.errors() > 0) {
					withErrors.add(config + " " + workload.path + " c=" + concurrency + ": " + measurement.non2xx() + " non-2xx, "
							+ measurement.socketErrors() + " socket");
				}
			})));
		line("| errors 0 in every measurement | " + (withErrors.isEmpty() ? "0 everywhere" : String.join("; ", withErrors)) + " | "
				+ (withErrors.isEmpty() ? "**met**" : "**missed**") + " |");
		line("");
	}

	/** The ratio of a figure to its peer's, or a dash without a peer. */
	private static String ratio(long figure, long peer) {
		return (peer > 0) ? String.format(Locale.ROOT, "%.2f×", figure / (double) peer) : "—";
	}

	private static String missedBy(double ratio, double target, double p99) {
		List<String> parts = new ArrayList<>();
		if (ratio < target) {
			parts.add(String.format(Locale.ROOT, "req/s %.0f%% short of %.1f×", (target - ratio) / target * 100, target));
		}
		if (p99 > 1.0) {
			parts.add(String.format(Locale.ROOT, "p99 %.0f%% worse", (p99 - 1) * 100));
		}
		return ": " + String.join(", ", parts);
	}

	private String number(String id) {
		Config config = config(id);
		return (config != null) ? config.number() : id;
	}

	private void throughput() {
		line("## Throughput and latency");
		line("");
		line("Requests per second (ratio to Tomcat behind `proxy_pass` on the same JDK: config 3, or 3-25 for the JDK 25 rows), then p50 / p99 latency in ms.");
		for (Workload workload : Workload.values()) {
			line("");
			line("### " + workload.description + ": `" + workload.path + "`");
			line("");
			StringBuilder head = new StringBuilder("| # | configuration |");
			StringBuilder rule = new StringBuilder("|---|---|");
			for (int concurrency : this.setup.concurrencies) {
				head.append(" c=").append(concurrency).append(" req/s | p50 / p99 |");
				rule.append("---:|---:|");
			}
			line(head.toString());
			line(rule.toString());
			for (Config config : this.configs) {
				StringBuilder row = new StringBuilder("| " + config.number() + " | " + config.label() + " |");
				for (int concurrency : this.setup.concurrencies) {
					Measurement measurement = this.results.get(workload, concurrency, config.id());
					Measurement tomcat = this.results.get(workload, concurrency, config.peer());
					if (measurement == null) {
						row.append(" — | — |");
						continue;
					}
					row.append(String.format(Locale.ROOT, " %,.0f", measurement.requestsPerSecond()));
					if (tomcat != null) {
						row.append(String.format(Locale.ROOT, " (%.2f×)", measurement.requestsPerSecond() / tomcat.requestsPerSecond()));
					}
					if (measurement.errors() > 0) {
						row.append(" **").append(measurement.errors()).append(" errors**");
					}
					row.append(String.format(Locale.ROOT, " | %.2f / %.2f |", measurement.p50Millis(), measurement.p99Millis()));
				}
				line(row.toString());
			}
		}
		line("");
		line("Per-round figures: `raw.csv`.");
		line("");
	}

	private void memory() {
		line("## Memory");
		line("");
		line("Resident set (VmRSS from `/proc/PID/status`) of each application after all the measurements above; VmHWM is not used because "
				+ "every JVM here has the same heap limit and the question is what each keeps. Then, from `jcmd PID GC.heap_info`, the heap G1 had "
				+ "committed; then, 1 s after a full collection (`jcmd PID GC.run`, after which G1 gives back what it does not need), the RSS "
				+ "again and what of the heap was live: a process whose RSS is high with a small live heap holds no more than the others, its "
				+ "collector sized the heap larger. RSS outside the heap (RSS after the run less the heap committed) is what the process "
				+ "holds besides: thread stacks, code, metaspace, direct buffers; the collector's sizing does not move it.");
		line("");
		line("| application | RSS after the run | ratio to Tomcat on the same JDK | heap committed | RSS outside the heap | ratio to Tomcat "
				+ "| RSS after a full collection | ratio to Tomcat | heap live |");
		line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
		this.results.memory.forEach((id, memory) -> {
			Results.MemoryAfterRun tomcat = this.results.memory.get(tomcatOnTheSameJdk(id));
			line(String.format(Locale.ROOT, "| %s | %,d MB | %s | %,d MB | %,d MB | %s | %,d MB | %s | %,d MB |",
					this.apps.get(id).description, memory.rss() / 1024,
					ratio(memory.rss(), (tomcat != null) ? tomcat.rss() : 0), memory.heapCommitted() / 1024,
					memory.rssOutsideHeap() / 1024, ratio(memory.rssOutsideHeap(), (tomcat != null) ? tomcat.rssOutsideHeap() : 0),
					memory.rssAfterCollection() / 1024, ratio(memory.rssAfterCollection(), (tomcat != null) ? tomcat.rssAfterCollection() : 0),
					memory.liveHeap() / 1024));
		});
		line("");
		line("Memory per idle kept-alive connection: " + this.setup.idleConnections
				+ " connections opened straight to the application (nginx stopped first), one request completed on each "
				+ "(FastCGI: GET /plain with `FCGI_KEEP_CONN`; Tomcat: HTTP/1.1 GET /plain), then held idle; each RSS read 1 s after a full collection (`jcmd GC.run`), so that the garbage of those requests does not count; (RSS after − RSS before) / connections.");
		line("");
		line("| application | RSS before | RSS with the connections | per connection |");
		line("|---|---:|---:|---:|");
		this.results.idle.forEach((id, values) -> line(String.format(Locale.ROOT, "| %s | %,d MB | %,d MB | %.1f KB |",
				this.apps.get(id).description, values[0] / 1024, values[1] / 1024, (values[1] - values[0]) / (double) values[2])));
		this.results.idleFailures.forEach((id, failure) -> line("| " + this.apps.get(id).description + " | failed: " + failure + " | | |"));
		line("");
	}

	private void jmh() {
		line("## Protocol layer (JMH, JDK 17, `-prof gc`)");
		line("");
		if (this.results.jmh.isEmpty()) {
			line("JMH did not run or failed: see the run's `logs/jmh.log`.");
			line("");
			return;
		}
		line("| benchmark | ns/op | bytes allocated/op |");
		line("|---|---:|---:|");
		for (Jmh.Row row : this.results.jmh) {
			line(String.format(Locale.ROOT, "| %s | %,.1f ± %,.1f | %,.0f |", row.benchmark(), row.nanos(), row.error(), row.bytes()));
		}
		line("");
		line("`decodeBeginAndParams`: BEGIN_REQUEST plus a typical nginx PARAMS stream of 32 params (~1 KB) through RecordDecoder and "
				+ "NameValueDecoder into the request's Params, as the server decodes them (names as shared strings, values "
				+ "kept as bytes until asked for). `decodeStdin64k`: 64 KB of STDIN records read 32 KB at a time. "
				+ "`encodeSmallResponse`: CGI head + small JSON as STDOUT, the empty STDOUT and END_REQUEST through RecordEncoder. "
				+ "`encode100kResponse`: the same for a 100 KB body.");
		line("");
	}

	private void profiles() {
		line("## Profile (JFR, small JSON GET at 64 connections)");
		line("");
		if (this.results.profiles.isEmpty()) {
			line("No profile was taken.");
			line("");
			return;
		}
		this.results.profiles.forEach((id, summary) -> {
			line("### " + id + " (" + summary.samples + " execution samples)");
			line("");
			line("Top frames (self):");
			line("");
			line("| method | samples | share |");
			line("|---|---:|---:|");
			summary.self.forEach((method, count) -> line(String.format(Locale.ROOT, "| `%s` | %d | %.1f%% |", method, count,
					100.0 * count / summary.samples)));
			if (!summary.projectTotal.isEmpty()) {
				line("");
				line("`dev.fastcgi` methods anywhere on the stack (total):");
				line("");
				line("| method | samples | share |");
				line("|---|---:|---:|");
				summary.projectTotal.forEach((method, count) -> line(String.format(Locale.ROOT, "| `%s` | %d | %.1f%% |", method,
						count, 100.0 * count / summary.samples)));
			}
			if (!summary.allocations.isEmpty()) {
				line("");
				line("Allocation (sampled weight, first frame outside the JDK):");
				line("");
				line("| what, where | MB |");
				line("|---|---:|");
				summary.allocations.forEach((site, weight) -> line(String.format(Locale.ROOT, "| `%s` | %,.0f |", site,
						weight / (1024.0 * 1024))));
			}
			line("");
		});
	}

	/** One panel per workload: req/s of every configuration at 64 connections (or the highest run). */
	private String svg() {
		int concurrency = 64;
		boolean has64 = false;
		for (int candidate : this.setup.concurrencies) {
			has64 |= candidate == 64;
		}
		if (!has64) {
			concurrency = this.setup.concurrencies[this.setup.concurrencies.length - 1];
		}
		int panelWidth = 300;
		int panelHeight = 260;
		int top = 60;
		int legendHeight = 20 * ((this.configs.size() + 1) / 2) + 20;
		int width = panelWidth * 2 + 40;
		int height = top + panelHeight * 2 + legendHeight;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
				width, height, width, height));
		svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
		svg.append(String.format(Locale.ROOT,
				"<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">Requests/s at %d connections (label: ratio to Tomcat)</text>\n",
				width / 2, concurrency));
		svg.append(String.format(Locale.ROOT,
				"<text x=\"%d\" y=\"42\" text-anchor=\"middle\" fill=\"#555\">nginx in front of every configuration; one run, interleaved%s</text>\n",
				width / 2, this.setup.quick ? " (quick mode)" : ""));
		Workload[] workloads = Workload.values();
		for (int index = 0; index < workloads.length; index++) {
			int x0 = 20 + (index % 2) * panelWidth;
			int y0 = top + (index / 2) * panelHeight;
			panel(svg, workloads[index], concurrency, x0, y0, panelWidth - 20, panelHeight - 20);
		}
		int legendY = top + panelHeight * 2;
		for (int index = 0; index < this.configs.size(); index++) {
			Config config = this.configs.get(index);
			int x = 30 + (index % 2) * panelWidth;
			int y = legendY + (index / 2) * 20;
			svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y,
					COLORS[index % COLORS.length]));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s %s</text>\n", x + 18, y + 10, config.number(),
					escape(config.label())));
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	private void panel(StringBuilder svg, Workload workload, int concurrency, int x0, int y0, int width, int height) {
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", x0, y0 + 12,
				escape(workload.path + " — " + workload.description)));
		double max = 1;
		for (Config config : this.configs) {
			Measurement measurement = this.results.get(workload, concurrency, config.id());
			if (measurement != null) {
				max = Math.max(max, measurement.requestsPerSecond());
			}
		}
		int chartTop = y0 + 30;
		int chartHeight = height - 60;
		int baseline = chartTop + chartHeight;
		svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", x0, baseline,
				x0 + width, baseline));
		double slot = width / (double) this.configs.size();
		for (int index = 0; index < this.configs.size(); index++) {
			Measurement measurement = this.results.get(workload, concurrency, this.configs.get(index).id());
			Measurement tomcat = this.results.get(workload, concurrency, this.configs.get(index).peer());
			double x = x0 + index * slot + slot * 0.15;
			if (measurement == null) {
				svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#999\">n/a</text>\n", x, baseline - 4));
				continue;
			}
			double barHeight = chartHeight * measurement.requestsPerSecond() / max;
			svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", x,
					baseline - barHeight, slot * 0.7, barHeight, COLORS[index % COLORS.length]));
			String label = (tomcat != null) ? String.format(Locale.ROOT, "%.2f×", measurement.requestsPerSecond() / tomcat.requestsPerSecond())
					: String.format(Locale.ROOT, "%.0f", measurement.requestsPerSecond());
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\">%s</text>\n",
					x + slot * 0.35, baseline - barHeight - 3, label));
			svg.append(String.format(Locale.ROOT,
					"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\" fill=\"#555\">%s</text>\n", x + slot * 0.35,
					baseline + 12, escape(this.configs.get(index).number())));
		}
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\" font-size=\"9\">max %,.0f req/s</text>\n",
				x0 + width - 90, chartTop - 4, max));
	}

	private Config config(String id) {
		return this.configs.stream().filter((config) -> config.id().equals(id)).findFirst().orElse(null);
	}

	/** The Tomcat application an application's memory is held against: the peer of the configurations it serves. */
	private String tomcatOnTheSameJdk(String appId) {
		return this.configs.stream()
			.filter((config) -> appId.equals(config.app()))
			.map(Config::peer)
			.findFirst()
			.orElse("tomcat");
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	private void line(String text) {
		this.md.append(text).append('\n');
	}

}
