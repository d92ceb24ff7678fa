package dev.fastcgi.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine a run happened on, and the memory of a process. */
final class Machine {

	/** JDK 17 says {@code total 197632K, used …}; JDK 21 and later {@code total reserved …, committed 393216K, used …}. */
	static final String HEAP_COMMITTED = "(?:total|committed)";

	private Machine() {
	}

	static Map<String, String> describe(Setup setup) throws IOException, InterruptedException {
		Map<String, String> machine = new LinkedHashMap<>();
		machine.put("CPU", firstValue(Path.of("/proc/cpuinfo"), "model name"));
		machine.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
		machine.put("RAM", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
		machine.put("kernel", output("uname", "-sr"));
		machine.put("load average at start", BenchmarkRunner.read(Path.of("/proc/loadavg")).trim());
		machine.put("JDK 17", output(setup.jdk17.resolve("bin/java").toString(), "-version").lines().findFirst().orElse("")
				+ " (" + output(setup.jdk17.resolve("bin/java").toString(), "-version").lines().skip(1).findFirst().orElse("") + ")");
		if (setup.jdk25 != null) {
			String version = output(setup.jdk25.resolve("bin/java").toString(), "-version");
			machine.put("JDK 25", version.lines().findFirst().orElse("") + " ("
					+ version.lines().skip(1).findFirst().orElse("") + ")");
		}
		else {
			machine.put("JDK 25", "not found: the virtual-thread rows are missing");
		}
		machine.put("nginx", output("nginx", "-v"));
		machine.put("wrk", output("wrk", "-v").lines().findFirst().orElse(""));
		machine.put("libfcgi", output("sh", "-c", "dpkg-query -W -f '${Version}' libfcgi-dev 2>/dev/null || echo unknown"));
		return machine;
	}

	/** VmRSS of a process in KB. */
	static long rss(long pid) throws IOException {
		return Long.parseLong(firstValue(Path.of("/proc", Long.toString(pid), "status"), "VmRSS").replace("kB", "").trim());
	}

	/**
	 * A figure of {@code jcmd PID GC.heap_info}'s first line in KB, -1 if absent: the heap committed
	 * ({@link #HEAP_COMMITTED}) or used ({@code "used"}).
	 */
	static long heapKb(String jcmd, String pid, String figure) throws IOException, InterruptedException {
		Matcher matcher = Pattern.compile("\\b" + figure + " (\\d+)K").matcher(output(jcmd, pid, "GC.heap_info"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
	}

	private static String firstValue(Path file, String key) throws IOException {
		for (String line : Files.readAllLines(file)) {
			if (line.startsWith(key)) {
				return line.substring(line.indexOf(':') + 1).trim();
			}
		}
		return "unknown";
	}

	static String output(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String text = new String(process.getInputStream().readAllBytes()).trim();
		process.waitFor(30, TimeUnit.SECONDS);
		return text;
	}

}
