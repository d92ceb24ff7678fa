package dev.fastcgi.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time went in a JFR recording: the methods most often on top of the stack in
 * {@code jdk.ExecutionSample} events (self time), the project's own methods by how often they
 * are anywhere on the stack (total time), and the allocation sites by sampled weight.
 */
final class JfrSummary {

	final int samples;

	final Map<String, Integer> self;

	final Map<String, Integer> projectTotal;

	final Map<String, Long> allocations;

	private JfrSummary(int samples, Map<String, Integer> self, Map<String, Integer> projectTotal,
			Map<String, Long> allocations) {
		this.samples = samples;
		this.self = self;
		this.projectTotal = projectTotal;
		this.allocations = allocations;
	}

	static JfrSummary read(Path recording, String projectPrefix) throws IOException {
		Map<String, Integer> self = new HashMap<>();
		Map<String, Integer> total = new HashMap<>();
		Map<String, Long> allocations = new HashMap<>();
		int samples = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
			String type = event.getEventType().getName();
			RecordedStackTrace stack = event.getStackTrace();
			if (stack == null || stack.getFrames().isEmpty()) {
				continue;
			}
			List<RecordedFrame> frames = stack.getFrames();
			if (type.equals("jdk.ExecutionSample")) {
				samples++;
				self.merge(name(frames.get(0)), 1, Integer::sum);
				Set<String> seen = new HashSet<>();
				for (RecordedFrame frame : frames) {
					String name = name(frame);
					if (name.startsWith(projectPrefix) && seen.add(name)) {
						total.merge(name, 1, Integer::sum);
					}
				}
			}
			else if (type.equals("jdk.ObjectAllocationSample")) {
				String site = allocationSite(frames);
				String object = event.getClass("objectClass").getName();
				allocations.merge(object + " in " + site, event.getLong("weight"), Long::sum);
			}
		}
		return new JfrSummary(samples, top(self, 15), top(total, 15), top(allocations, 10));
	}

	/** The first frame outside the JDK's own packages, so that a byte[] is charged to its user. */
	private static String allocationSite(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String name = name(frame);
			if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
				return name;
			}
		}
		return name(frames.get(0));
	}

	private static String name(RecordedFrame frame) {
		if (frame.getMethod() == null) {
			return "?";
		}
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static <V extends Comparable<V>> Map<String, V> top(Map<String, V> counts, int limit) {
		Map<String, V> top = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, V>comparingByValue().reversed())
			.limit(limit)
			.forEach((entry) -> top.put(entry.getKey(), entry.getValue()));
		return top;
	}

}
