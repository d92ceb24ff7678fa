package dev.fastcgi.sample.differential;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import dev.fastcgi.sample.e2e.RawHttpResponse;

/**
 * Compares the answers of the two front ends to one request: status, body and every header
 * except those that say how the response travelled rather than what it is. Values that differ
 * between any two runs (ports, times, session ids, CSRF tokens) are replaced by placeholders
 * first.
 */
final class ResponseComparison {

	/**
	 * Headers not compared. {@code date}: the time. {@code server}: the same nginx on both sides.
	 * {@code transfer-encoding}, {@code connection}, {@code keep-alive}: framing and connection
	 * management, which nginx decides for each side by how the upstream framed the response
	 * (Tomcat chunks where the bridge sends a length or ends the stream). {@code content-length}
	 * is compared separately, only when both sides send it; the bodies are compared anyway.
	 */
	private static final List<String> TRANSPORT_HEADERS = List.of("date", "server", "transfer-encoding", "connection",
			"keep-alive", "content-length");

	/**
	 * The headers Spring Security writes against caching. For a {@code StreamingResponseBody}
	 * Security's header writer on the request thread races the thread that streams and commits
	 * the response: on Tomcat they sporadically come twice, the same values, and on either server
	 * the commit may fall between two of them, so that the last ones miss. So their values are
	 * compared without duplicates, and one missing is accepted where another of them came.
	 */
	private static final List<String> RACING_SECURITY_HEADERS = List.of("cache-control", "pragma", "expires");

	private static final List<Replacement> RUN_SPECIFIC_VALUES = List.of(
			new Replacement("(JSESSIONID=)[^;\\s\"]+", "$1(session)"),
			new Replacement("(Expires=)[^;]+", "$1(date)"),
			new Replacement("(\"timestamp\":\")[^\"]+", "$1(time)"),
			new Replacement("(<div id='created'>)[^<]+", "$1(time)"),
			new Replacement("(name=\"_csrf\"[^>]*value=\")[^\"]+", "$1(token)"),
			// Spring's random separator of the parts of a multi-range answer, in Content-Type and body,
			// which may end in '-' itself: it ends a line, or the "--" that ends the last part
			new Replacement("(boundary=|--)[-_0-9a-zA-Z]{30,40}?(?=(--)?(\r\n|$))", "$1(boundary)"));

	private static final int BODY_PREVIEW_CHARS = 500;

	private static final int COLUMN_WIDTH = 90;

	private ResponseComparison() {
	}

	/** The differences, described one per line; empty when the responses are equivalent. */
	static List<String> differences(FrontEnd tomcat, RawHttpResponse tomcatResponse, FrontEnd fastCgi,
			RawHttpResponse fastCgiResponse) {
		List<String> differences = new ArrayList<>();
		if (tomcatResponse.status() != fastCgiResponse.status()) {
			differences.add("status " + tomcatResponse.status() + " != " + fastCgiResponse.status());
		}
		Map<String, List<String>> tomcatHeaders = tomcatResponse.head().headers();
		Map<String, List<String>> fastCgiHeaders = fastCgiResponse.head().headers();
		TreeSet<String> names = new TreeSet<>(tomcatHeaders.keySet());
		names.addAll(fastCgiHeaders.keySet());
		names.removeAll(TRANSPORT_HEADERS);
		for (String name : names) {
			List<String> tomcatValues = normalised(tomcat, tomcatHeaders.get(name));
			List<String> fastCgiValues = normalised(fastCgi, fastCgiHeaders.get(name));
			if (RACING_SECURITY_HEADERS.contains(name)) {
				tomcatValues = distinct(tomcatValues);
				fastCgiValues = distinct(fastCgiValues);
				if (lostToTheCommitRace(tomcatValues, tomcatHeaders) || lostToTheCommitRace(fastCgiValues, fastCgiHeaders)) {
					continue;
				}
			}
			if (!Objects.equals(tomcatValues, fastCgiValues)) {
				differences.add("header " + name + ": " + tomcatValues + " != " + fastCgiValues);
			}
		}
		byte[] tomcatDecoded = decodedBody(tomcatResponse);
		byte[] fastCgiDecoded = decodedBody(fastCgiResponse);
		String tomcatBody = normalisedBody(tomcat, tomcatDecoded);
		String fastCgiBody = normalisedBody(fastCgi, fastCgiDecoded);
		Long tomcatLength = normalisedLength(tomcatResponse, tomcatDecoded, tomcatBody);
		Long fastCgiLength = normalisedLength(fastCgiResponse, fastCgiDecoded, fastCgiBody);
		if (tomcatLength != null && fastCgiLength != null && !tomcatLength.equals(fastCgiLength)) {
			differences.add("header content-length: " + tomcatResponse.header("Content-Length") + " != "
					+ fastCgiResponse.header("Content-Length") + " (with the run-specific values replaced: "
					+ tomcatLength + " != " + fastCgiLength + ")");
		}
		if (tomcatBody.endsWith(FrontEnd.TRUNCATED) && fastCgiBody.endsWith(FrontEnd.TRUNCATED)) {
			// both broke off, which the client sees; where is the web server's business (nginx drops
			// what it holds of a FastCGI response it gives up, and sends what it holds of an HTTP one)
			int received = Math.min(tomcatBody.length(), fastCgiBody.length()) - FrontEnd.TRUNCATED.length();
			tomcatBody = tomcatBody.substring(0, received);
			fastCgiBody = fastCgiBody.substring(0, received);
		}
		if (!tomcatBody.equals(fastCgiBody)) {
			int at = firstDifference(tomcatBody, fastCgiBody);
			differences.add("body (%d bytes) != body (%d bytes), from byte %d: %s != %s".formatted(
					tomcatBody.length(), fastCgiBody.length(), at, excerpt(tomcatBody, at), excerpt(fastCgiBody, at)));
		}
		return differences;
	}

	/**
	 * The Content-Length the body would have with its run-specific values replaced, as the body
	 * is compared: a random multipart boundary need not be as long on both sides.
	 */
	private static Long normalisedLength(RawHttpResponse response, byte[] decodedBody, String normalisedBody) {
		String length = response.header("Content-Length");
		if (length == null) {
			return null;
		}
		return Long.parseLong(length) - (decodedBody.length - normalisedBody.length());
	}

	private static List<String> distinct(List<String> values) {
		return (values != null) ? values.stream().distinct().toList() : null;
	}

	/** Whether a racing header is missing while another of them came: the commit fell between them. */
	private static boolean lostToTheCommitRace(List<String> values, Map<String, List<String>> headers) {
		return values == null && RACING_SECURITY_HEADERS.stream().anyMatch(headers::containsKey);
	}

	private static int firstDifference(String one, String other) {
		int at = 0;
		while (at < one.length() && at < other.length() && one.charAt(at) == other.charAt(at)) {
			at++;
		}
		return at;
	}

	/** Up to 60 bytes from a position of a normalised (ISO-8859-1) body, shown as UTF-8. */
	private static String excerpt(String body, int from) {
		String bytes = body.substring(from, Math.min(body.length(), from + 60));
		return "\"" + new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8) + "\"";
	}

	private static List<String> normalised(FrontEnd frontEnd, List<String> values) {
		return (values != null) ? values.stream().map((value) -> normalised(frontEnd, value)).toList() : null;
	}

	/** The decoded body as ISO-8859-1, one char per byte, so that binary bodies compare exactly too. */
	private static String normalisedBody(FrontEnd frontEnd, byte[] decodedBody) {
		return normalised(frontEnd, new String(decodedBody, StandardCharsets.ISO_8859_1));
	}

	/** The body, a gzip-compressed one decompressed, since two compressors need not make the same bytes. */
	private static byte[] decodedBody(RawHttpResponse response) {
		if (!"gzip".equals(response.header("Content-Encoding")) || response.body().length == 0) {
			return response.body();
		}
		try (GZIPInputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
			return gunzip.readAllBytes();
		}
		catch (IOException ex) {
			return ("(not a valid gzip stream: " + ex.getMessage() + ")").getBytes(StandardCharsets.ISO_8859_1);
		}
	}

	private static String normalised(FrontEnd frontEnd, String text) {
		// Each front end has a port of its own, which reaches the application in the Host header.
		String normalised = text.replace("127.0.0.1:" + frontEnd.port(), "127.0.0.1:(port)")
			.replace("\"serverPort\":" + frontEnd.port(), "\"serverPort\":(port)");
		for (Replacement replacement : RUN_SPECIFIC_VALUES) {
			normalised = replacement.pattern().matcher(normalised).replaceAll(replacement.with());
		}
		return normalised;
	}

	/** Both responses as two columns: status line, headers and the start of the body. */
	static String sideBySide(FrontEnd tomcat, RawHttpResponse tomcatResponse, FrontEnd fastCgi,
			RawHttpResponse fastCgiResponse) {
		List<String> left = lines(tomcat, tomcatResponse);
		List<String> right = lines(fastCgi, fastCgiResponse);
		StringBuilder columns = new StringBuilder();
		for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
			String leftLine = (i < left.size()) ? left.get(i) : "";
			String rightLine = (i < right.size()) ? right.get(i) : "";
			columns.append(("%-" + COLUMN_WIDTH + "s | %s%n").formatted(leftLine, rightLine));
		}
		return columns.toString();
	}

	private static List<String> lines(FrontEnd frontEnd, RawHttpResponse response) {
		List<String> lines = new ArrayList<>();
		lines.add("[" + frontEnd.name() + "]");
		lines.add(response.head().statusLine());
		response.head().headers().forEach((name, values) -> values.forEach((value) -> lines.add(name + ": " + value)));
		lines.add("");
		String body = new String(decodedBody(response), StandardCharsets.UTF_8);
		String preview = (body.length() > BODY_PREVIEW_CHARS) ? body.substring(0, BODY_PREVIEW_CHARS) + "..." : body;
		for (String line : preview.split("\r?\n", -1)) {
			for (int start = 0; start < line.length() || start == 0; start += COLUMN_WIDTH) {
				lines.add(line.substring(start, Math.min(line.length(), start + COLUMN_WIDTH)));
			}
		}
		return lines;
	}

	private record Replacement(Pattern pattern, String with) {

		Replacement(String regex, String with) {
			this(Pattern.compile(regex), with);
		}

	}

}
