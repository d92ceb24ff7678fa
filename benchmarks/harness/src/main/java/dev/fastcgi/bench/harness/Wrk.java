package dev.fastcgi.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.fastcgi.bench.harness.BenchmarkRunner.Workload;

/** Runs wrk against nginx. */
final class Wrk {

	private Wrk() {
	}

	static Measurement run(Setup setup, int port, Workload workload, int connections, int seconds)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("wrk", "-t" + Math.min(2, connections), "-c" + connections,
				"-d" + seconds + "s", "--timeout", "10s", "--latency"));
		if (workload == Workload.UPLOAD) {
			command.add("-s");
			command.add(uploadScript(setup).toString());
		}
		command.add("http://127.0.0.1:" + port + workload.path);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IOException("wrk did not finish: " + command);
		}
		return Measurement.parse(output);
	}

	private static Path uploadScript(Setup setup) throws IOException {
		Path script = setup.work.resolve("upload.lua");
		if (!Files.exists(script)) {
			Files.writeString(script, """
					-- POST a 1 MB body
					wrk.method = "POST"
					wrk.body = string.rep("x", %d)
					wrk.headers["Content-Type"] = "application/octet-stream"
					""".formatted(BenchmarkRunner.UPLOAD_BYTES));
		}
		return script;
	}

}
