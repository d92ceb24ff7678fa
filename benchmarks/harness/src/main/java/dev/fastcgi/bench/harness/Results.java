package dev.fastcgi.bench.harness;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fastcgi.bench.harness.BenchmarkRunner.Workload;

/** Everything measured in one run. */
final class Results {

	Instant started;

	Instant finished;

	Map<String, String> machine;

	/** Configurations that could not be measured and why. */
	final Map<String, String> unavailable = new LinkedHashMap<>();

	/** workload → concurrency → configuration → measurement (rounds combined). */
	final Map<Workload, Map<Integer, Map<String, Measurement>>> throughput = new LinkedHashMap<>();

	/** Application → its memory after the run. */
	final Map<String, MemoryAfterRun> memory = new LinkedHashMap<>();

	/** Application → {RSS before KB, RSS after KB, connections}. */
	final Map<String, long[]> idle = new LinkedHashMap<>();

	final Map<String, String> idleFailures = new LinkedHashMap<>();

	final Map<String, JfrSummary> profiles = new LinkedHashMap<>();

	List<Jmh.Row> jmh = List.of();

	void put(Workload workload, int concurrency, String config, Measurement measurement) {
		this.throughput.computeIfAbsent(workload, (key) -> new LinkedHashMap<>())
			.computeIfAbsent(concurrency, (key) -> new LinkedHashMap<>())
			.put(config, measurement);
	}

	Measurement get(Workload workload, int concurrency, String config) {
		return this.throughput.getOrDefault(workload, Map.of()).getOrDefault(concurrency, Map.of()).get(config);
	}

	/**
	 * What an application holds after the run, in KB: its resident set, the heap G1 has committed,
	 * then, after a full collection, its resident set again and what of the heap is live; which
	 * tell the collector's sizing from what the application keeps.
	 */
	record MemoryAfterRun(long rss, long heapCommitted, long rssAfterCollection, long liveHeap) {

		/** What the process holds besides the heap G1 committed, -1 when that was not read. */
		long rssOutsideHeap() {
			return (this.heapCommitted >= 0) ? this.rss - this.heapCommitted : -1;
		}

	}

}
