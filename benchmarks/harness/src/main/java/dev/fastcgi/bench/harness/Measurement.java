package dev.fastcgi.bench.harness;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run reports.
 *
 * @param requestsPerSecond completed requests a second
 * @param p50Millis median latency
 * @param p99Millis 99th percentile latency
 * @param non2xx responses with a status of 400 or more (wrk's "Non-2xx or 3xx")
 * @param socketErrors connect, read, write and timeout errors
 * @param requests requests completed
 */
record Measurement(double requestsPerSecond, double p50Millis, double p99Millis, long non2xx, long socketErrors,
		long requests) {

	private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

	private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s|m)\\s*$",
			Pattern.MULTILINE);

	private static final Pattern SOCKET_ERRORS = Pattern
		.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

	private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

	long errors() {
		return this.non2xx + this.socketErrors;
	}

	static Measurement parse(String output) {
		Matcher rate = RATE.matcher(output);
		if (!rate.find()) {
			throw new IllegalArgumentException("No Requests/sec in wrk output:\n" + output);
		}
		double p50 = Double.NaN;
		double p99 = Double.NaN;
		Matcher percentile = PERCENTILE.matcher(output);
		while (percentile.find()) {
			double millis = toMillis(Double.parseDouble(percentile.group(2)), percentile.group(3));
			if (percentile.group(1).equals("50")) {
				p50 = millis;
			}
			else {
				p99 = millis;
			}
		}
		long socketErrors = 0;
		Matcher errors = SOCKET_ERRORS.matcher(output);
		if (errors.find()) {
			for (int group = 1; group <= 4; group++) {
				socketErrors += Long.parseLong(errors.group(group));
			}
		}
		Matcher non2xx = NON_2XX.matcher(output);
		Matcher requests = REQUESTS.matcher(output);
		return new Measurement(Double.parseDouble(rate.group(1)), p50, p99,
				non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, socketErrors,
				requests.find() ? Long.parseLong(requests.group(1)) : 0);
	}

	private static double toMillis(double value, String unit) {
		return switch (unit) {
			case "us" -> value / 1000;
			case "ms" -> value;
			case "s" -> value * 1000;
			case "m" -> value * 60_000;
			default -> throw new IllegalArgumentException(unit);
		};
	}

	/** Rounds run back to back: mean throughput and latency, all errors. */
	static Measurement combine(List<Measurement> rounds) {
		double rate = 0;
		double p50 = 0;
		double p99 = 0;
		long non2xx = 0;
		long socketErrors = 0;
		long requests = 0;
		for (Measurement round : rounds) {
			rate += round.requestsPerSecond;
			p50 += round.p50Millis;
			p99 += round.p99Millis;
			non2xx += round.non2xx;
			socketErrors += round.socketErrors;
			requests += round.requests;
		}
		int count = rounds.size();
		return new Measurement(rate / count, p50 / count, p99 / count, non2xx, socketErrors, requests);
	}

	String csv() {
		return String.format(Locale.ROOT, "%.1f,%.3f,%.3f,%d,%d,%d", this.requestsPerSecond, this.p50Millis,
				this.p99Millis, this.non2xx, this.socketErrors, this.requests);
	}

}
