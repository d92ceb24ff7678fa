package dev.fastcgi.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the JMH benchmarks of the protocol layer in their own JVM and reads their CSV. */
final class Jmh {

	/**
	 * @param benchmark the benchmark method
	 * @param nanos average time per operation
	 * @param error the 99.9% confidence half-width of {@code nanos}
	 * @param bytes bytes allocated per operation ({@code gc.alloc.rate.norm})
	 */
	record Row(String benchmark, double nanos, double error, double bytes) {
	}

	private Jmh() {
	}

	static List<Row> run(Setup setup, Path logs) throws IOException, InterruptedException {
		Path csv = setup.work.resolve("jmh.csv");
		List<String> command = new ArrayList<>(List.of(setup.jdk17.resolve("bin/java").toString(), "-cp",
				setup.classpath("harness"), "org.openjdk.jmh.Main", "dev.fastcgi.bench.jmh", "-prof", "gc", "-rf", "csv",
				"-rff", csv.toString(), "-f", "1"));
		command.addAll(setup.quick ? List.of("-wi", "1", "-w", "1s", "-i", "2", "-r", "1s")
				: List.of("-wi", "3", "-w", "2s", "-i", "5", "-r", "2s"));
		BenchmarkRunner.log("JMH: " + String.join(" ", command.subList(3, command.size())));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(logs.resolve("jmh.log").toFile())
			.start();
		if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.exists(csv)) {
			BenchmarkRunner.log("JMH failed, see logs/jmh.log");
			return List.of();
		}
		Map<String, double[]> rows = new LinkedHashMap<>();
		for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
			String[] cells = line.split(",");
			String name = unquote(cells[0]);
			double score = Double.parseDouble(cells[4]);
			double error = cells[5].isBlank() || unquote(cells[5]).equals("NaN") ? Double.NaN : Double.parseDouble(cells[5]);
			int colon = name.indexOf(':');
			String benchmark = (colon < 0) ? name : name.substring(0, colon);
			double[] row = rows.computeIfAbsent(benchmark, (key) -> new double[] { Double.NaN, Double.NaN, Double.NaN });
			if (colon < 0) {
				row[0] = score;
				row[1] = error;
			}
			else if (name.endsWith(":gc.alloc.rate.norm")) {
				row[2] = score;
			}
		}
		List<Row> result = new ArrayList<>();
		rows.forEach((name, row) -> result.add(new Row(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
				row[0], row[1], row[2])));
		return result;
	}

	private static String unquote(String cell) {
		return cell.replace("\"", "");
	}

}
