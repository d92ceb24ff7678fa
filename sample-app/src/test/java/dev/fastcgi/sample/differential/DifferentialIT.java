package dev.fastcgi.sample.differential;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.fastcgi.sample.e2e.FastCgiAddress;
import dev.fastcgi.sample.e2e.FastCgiRoutes;
import dev.fastcgi.sample.e2e.LoopbackPorts;
import dev.fastcgi.sample.e2e.RawHttpResponse;
import dev.fastcgi.sample.e2e.WebServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same application twice, on embedded Tomcat behind nginx {@code proxy_pass} and on this
 * starter behind nginx {@code fastcgi_pass}, and the same requests to both: a browser must not
 * be able to tell the two apart. Status, body and the headers that matter must be equal; every
 * difference is reported at once, each with both responses side by side.
 */
class DifferentialIT {

	private static final String CONTEXT_PATH = "/ctx";

	private static final String MAX_FILE_SIZE_MB = "4";

	/** Arguments both applications get. */
	private static final List<String> APPLICATION_ARGUMENTS = List.of("--server.servlet.context-path=" + CONTEXT_PATH,
			"--spring.servlet.multipart.max-file-size=" + MAX_FILE_SIZE_MB + "MB",
			"--spring.servlet.multipart.max-request-size=16MB", "--server.compression.enabled=true",
			"--server.servlet.encoding.mapping.de=UTF-8", "--server.servlet.encoding.mapping.pt_BR=UTF-8");

	/** Above nginx's default of 1 MB, so that the applications decide on large bodies. */
	private static final String NGINX_HTTP_BLOCK = "client_max_body_size 32m;\n";

	private static final String TOMCAT_PROXY = """
			upstream tomcat {
				server 127.0.0.1:%d;
				keepalive 8;
			}
			""";

	private static final String TOMCAT_LOCATION = """
			location / {
				proxy_pass http://tomcat;
				proxy_http_version 1.1;
				proxy_set_header Connection "";
				proxy_set_header Host $http_host;
				# The httpoxy mitigation nginx recommends for proxied applications; the FastCGI
				# bridge drops HTTP_PROXY itself.
				proxy_set_header Proxy "";
			}
			""";

	/** nginx keeping its FastCGI connections, as the README recommends for production. */
	private static final String FASTCGI_KEPT_UPSTREAM = """
			upstream fastcgi {
				server %s;
				keepalive 8;
			}
			""";

	private static final String FASTCGI_KEPT_LOCATION = """
			location / {
				include /etc/nginx/fastcgi_params;
				fastcgi_keep_conn on;
				fastcgi_pass fastcgi;
			}
			""";

	private static final int MEGABYTE = 1024 * 1024;

	/**
	 * Apache in front of Tomcat: mod_proxy_http, keeping the browser's Host and adding no
	 * X-Forwarded-* headers. {@code nocanon}, {@code AllowEncodedSlashes NoDecode} and
	 * {@code MergeSlashes Off} pass the path on as the browser sent it, as REQUEST_URI reaches
	 * the FastCGI side; otherwise Apache would hand Tomcat a path it cleaned itself.
	 * {@code AllowEncodedSlashes} is set on both sides, or Apache answers {@code %2F} itself.
	 */
	private static final String APACHE_ENCODED_SLASHES = "AllowEncodedSlashes NoDecode\n";

	private static final String TOMCAT_APACHE_PROXY = """
			LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
			LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so
			%s
			MergeSlashes Off
			ProxyPass "/" "http://127.0.0.1:%d/" nocanon
			ProxyPreserveHost On
			ProxyAddHeaders Off
			RequestHeader unset Proxy early
			""";

	/**
	 * lighttpd in front of Tomcat: mod_proxy, the httpoxy header removed as for the other two, and
	 * the path passed on as the browser sent it, as REQUEST_URI reaches the FastCGI side.
	 */
	private static final String TOMCAT_LIGHTTPD_PROXY = """
			server.modules += ("mod_proxy", "mod_setenv")
			proxy.server = ("/" => (("host" => "127.0.0.1", "port" => %d)))
			server.http-parseopts = ("url-normalize" => "disable")
			setenv.set-request-header = ("Proxy" => "")
			""";

	@Test
	void browserCannotTellTomcatFromFastCgi() throws IOException {
		List<RequestSpec> battery = battery();
		assertThat(battery).hasSizeGreaterThanOrEqualTo(60);
		int tomcatPort = LoopbackPorts.free();
		FastCgiAddress.Tcp fastCgiAddress = new FastCgiAddress.Tcp("127.0.0.1", LoopbackPorts.free());
		List<String> tomcatArguments = new ArrayList<>(APPLICATION_ARGUMENTS);
		tomcatArguments.addAll(List.of("--fastcgi.enabled=false", "--server.address=127.0.0.1", "--server.port=" + tomcatPort));
		List<String> fastCgiArguments = new ArrayList<>(APPLICATION_ARGUMENTS);
		fastCgiArguments.add("--fastcgi.socket=" + fastCgiAddress.socketProperty());
		String nginxTomcat = NGINX_HTTP_BLOCK + TOMCAT_PROXY.formatted(tomcatPort);
		String apacheTomcat = TOMCAT_APACHE_PROXY.formatted(APACHE_ENCODED_SLASHES, tomcatPort);
		List<FrontEnds> frontEnds = List.of(
				new FrontEnds("nginx proxy_pass", () -> WebServerProcess.nginx(nginxTomcat, TOMCAT_LOCATION),
						"nginx fastcgi_pass", () -> WebServerProcess.nginx(NGINX_HTTP_BLOCK,
								FastCgiRoutes.nginxFastCgiPass("/", fastCgiAddress))),
				new FrontEnds("nginx proxy_pass", () -> WebServerProcess.nginx(nginxTomcat, TOMCAT_LOCATION),
						"nginx fastcgi_pass, kept connections",
						() -> WebServerProcess.nginx(NGINX_HTTP_BLOCK + FASTCGI_KEPT_UPSTREAM.formatted(
								fastCgiAddress.host() + ":" + fastCgiAddress.port()), FASTCGI_KEPT_LOCATION)),
				new FrontEnds("Apache mod_proxy_http", () -> WebServerProcess.apache(apacheTomcat), "Apache mod_proxy_fcgi",
						() -> WebServerProcess
							.apache(APACHE_ENCODED_SLASHES + FastCgiRoutes.apacheProxyPass("/", fastCgiAddress))),
				new FrontEnds("Apache mod_proxy_http", () -> WebServerProcess.apache(apacheTomcat),
						"Apache mod_proxy_fcgi, kept connections",
						() -> WebServerProcess.apache(APACHE_ENCODED_SLASHES
								+ FastCgiRoutes.apacheProxyPass("/", fastCgiAddress, "enablereuse=on"))),
				new FrontEnds("lighttpd mod_proxy",
						() -> WebServerProcess.lighttpd(TOMCAT_LIGHTTPD_PROXY.formatted(tomcatPort)), "lighttpd mod_fastcgi",
						() -> WebServerProcess.lighttpd(FastCgiRoutes.lighttpdFastCgiServer("/", fastCgiAddress))));
		List<String> failures = new ArrayList<>();
		try (ApplicationProcess tomcatApplication = ApplicationProcess.start("tomcat", tomcatJars(), tomcatArguments);
				ApplicationProcess fastCgiApplication = ApplicationProcess.start("fastcgi", List.of(), fastCgiArguments)) {
			for (FrontEnds pair : frontEnds) {
				try (WebServerProcess tomcat = pair.tomcat().get(); WebServerProcess fastCgi = pair.fastCgi().get()) {
					failures.addAll(differences(battery, new FrontEnd("Tomcat via " + pair.tomcatName(), tomcat.port()),
							new FrontEnd("FastCGI via " + pair.fastCgiName(), fastCgi.port())));
				}
			}
		}
		assertThat(failures).as("%d of %d requests answered differently%n%s", failures.size(),
				frontEnds.size() * battery.size(), String.join("\n", failures)).isEmpty();
	}

	/** One web server twice: in front of Tomcat, and in front of the starter. */
	private record FrontEnds(String tomcatName, Supplier<WebServerProcess> tomcat, String fastCgiName,
			Supplier<WebServerProcess> fastCgi) {
	}

	/** Sends the battery to both front ends of one web server; one entry per request answered differently. */
	private static List<String> differences(List<RequestSpec> battery, FrontEnd tomcat, FrontEnd fastCgi)
			throws IOException {
		List<String> failures = new ArrayList<>();
		for (RequestSpec spec : battery) {
			RawHttpResponse tomcatResponse = tomcat.send(spec);
			RawHttpResponse fastCgiResponse = fastCgi.send(spec);
			List<String> problems = new ArrayList<>();
			if (tomcatResponse.status() != spec.expectedStatus()) {
				problems.add("Tomcat answered " + tomcatResponse.status() + ", the battery expects " + spec.expectedStatus());
			}
			problems.addAll(ResponseComparison.differences(tomcat, tomcatResponse, fastCgi, fastCgiResponse));
			if (!problems.isEmpty()) {
				failures.add("### " + fastCgi.name() + ": " + spec + "\n  " + String.join("\n  ", problems) + "\n"
						+ ResponseComparison.sideBySide(tomcat, tomcatResponse, fastCgi, fastCgiResponse));
			}
		}
		return failures;
	}

	private static List<Path> tomcatJars() throws IOException {
		Path directory = Path.of(System.getProperty("differential.tomcat.directory"));
		try (Stream<Path> jars = Files.list(directory)) {
			List<Path> found = jars.filter((file) -> file.toString().endsWith(".jar")).sorted().toList();
			assertThat(found).as("Tomcat jars copied into %s by the build", directory).hasSize(4);
			return found;
		}
	}

	private static List<RequestSpec> battery() {
		List<RequestSpec> battery = new ArrayList<>();
		battery.addAll(paths());
		battery.addAll(queriesAndRequestInformation());
		battery.addAll(bodies());
		battery.addAll(cookiesAndSessions());
		battery.addAll(redirectsAndErrors());
		battery.addAll(dispatchHeadAndAsync());
		battery.addAll(security());
		battery.addAll(compression());
		battery.addAll(containerComponents());
		battery.addAll(http10());
		return battery;
	}

	private static List<RequestSpec> paths() {
		return List.of(get("/echo/plain", 200), get("/echo/a%20b", 200), get("/echo/%C3%A9t%C3%A9/caf%C3%A9", 200),
				get("/echo/raw-été", 400), get("/echo/a%2Fb", 400), get("/echo/a;x=1/b;y=2", 400),
				get(";jsessionid=abc/echo/path-parameter-on-context", 400), get("/echo/a/../b", 400),
				get("/echo/a/./b", 400), get("/echo/%2e%2e/escaped-dots", 400), get("/echo//double//slashes", 400),
				get("//echo/leading-double-slash", 400), get("/echo/%25percent", 400), get("/echo/a+b", 200),
				get("/echo/q%3Fmark?real=query", 200), get("/echo/trailing/", 200),
				RequestSpec.get(CONTEXT_PATH + "/../outside-context", 404),
				RequestSpec.get(CONTEXT_PATH + "/../../above-root", 400),
				RequestSpec.get(CONTEXT_PATH + "/echo/%2e%2e/%2e%2e/%2e%2e/above-root", 400),
				RequestSpec.get(CONTEXT_PATH, 302), get("/", 200), get("/index.html", 200),
				get("/index.html", 304).header("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"),
				get("/index.html", 200).header("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"),
				get("/index.html", 206).header("Range", "bytes=0-9"),
				get("/index.html", 206).header("Range", "bytes=-5"),
				get("/index.html", 206).header("Range", "bytes=0-4,10-14"),
				get("/index.html", 416).header("Range", "bytes=1000000-"),
				RequestSpec.get("/not-in-context", 404), get("/ECHO/case", 404));
	}

	private static List<RequestSpec> queriesAndRequestInformation() {
		return List.of(get("/echo/q?a=1&a=2&b=&c", 200), get("/echo/q?name=%C3%A9t%C3%A9&plus=a+b&space=a%20b", 200),
				get("/echo/q?bad=%zz&ok=1", 400), get("/echo/q?", 200), get("/echo/q?=novalue&&x=1", 400),
				get("/echo/headers", 200).header("X-Multi", "one")
					.header("X-Multi", "two")
					.header("X-Comma", "a, b")
					.header("Accept", "application/json")
					.header("User-Agent", "differential/1.0")
					.header("Proxy", "http://attacker.example:3128"),
				get("/echo/locales", 200).header("Accept-Language", "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"),
				get("/echo/locale", 200).header("Accept-Language", "de"),
				get("/echo/forwarded", 200).header("X-Forwarded-For", "203.0.113.9")
					.header("X-Forwarded-Proto", "https")
					.header("X-Forwarded-Host", "example.org"),
				get("/echo/headers", 200).header("X-Utf8", "café").header("X-Empty", ""),
				request("PROPFIND", "/echo/x", 400), request("PATCH", "/api/greeting", 405),
				RequestSpec.get("http://" + FrontEnd.AUTHORITY + CONTEXT_PATH + "/echo/absolute-form?q=1", 200),
				get("/api/greeting?name=%C3%A9t%C3%A9", 200), RequestSpec.request("OPTIONS", CONTEXT_PATH + "/echo/x", 200),
				RequestSpec.request("TRACE", CONTEXT_PATH + "/echo/x", 405), request("DELETE", "/api/greeting", 405));
	}

	private static List<RequestSpec> bodies() {
		return List.of(
				request("POST", "/form?fromQuery=q", 200).body("application/x-www-form-urlencoded",
						"a=1&a=2&name=%C3%A9t%C3%A9&empty=&plus=a+b"),
				request("POST", "/form", 400).body("application/x-www-form-urlencoded; charset=ISO-8859-1", "caf%E9=%E9t%E9"),
				request("POST", "/echo/csrf", 403).body("application/x-www-form-urlencoded", "a=1"),
				request("POST", "/text", 200).body("text/plain;charset=UTF-8", "Grüße, 😀"),
				request("POST", "/text", 200).body("text/plain", "Grüße ohne charset"),
				request("POST", "/text", 500).body("text/plain; charset=ISO-8859-1",
						"Grüße latin".getBytes(StandardCharsets.ISO_8859_1)),
				get("/charset", 200), get("/charset?type=text/plain", 200),
				get("/charset?type=text/html;charset=ISO-8859-1", 200), get("/charset?type=text/plain&charset=UTF-8", 200),
				get("/charset?charset=windows-1252", 200),
				request("POST", "/api/items", 201).body("application/json", "{\"name\":\"thing\",\"quantity\":2}"),
				request("POST", "/api/items", 400).body("application/json", "{not json"),
				request("POST", "/api/items", 415).body("text/plain", "thing"),
				request("POST", "/upload", 200).body(multipartContentType(), multipart("résumé.txt", "small file".getBytes(StandardCharsets.UTF_8))),
				request("POST", "/upload", 200).body(multipartContentType(), multipart("three-mb.bin", randomBytes(3 * MEGABYTE))),
				request("POST", "/upload", 413).body(multipartContentType(), multipart("five-mb.bin", randomBytes(5 * MEGABYTE))),
				request("POST", "/sha256", 200).body("application/octet-stream", randomBytes(6 * MEGABYTE)),
				get("/download?size=" + 5 * MEGABYTE, 200), get("/async/streaming?size=" + 3 * MEGABYTE, 200),
				request("POST", "/sha256", 200).body("application/octet-stream", randomBytes(3 * MEGABYTE)).sentChunked(),
				request("POST", "/text", 200).body("text/plain;charset=UTF-8", "chunked Grüße").sentChunked(),
				request("POST", "/form", 200).body("application/x-www-form-urlencoded", "a=1&name=%C3%A9t%C3%A9")
					.sentChunked(),
				request("POST", "/upload", 500).body("multipart/form-data", "no boundary at all"),
				request("POST", "/upload", 500).body(multipartContentType(), "--" + BOUNDARY + "\r\ntruncated"),
				request("POST", "/form", 413).body("application/x-www-form-urlencoded",
						"big=" + "x".repeat(3 * MEGABYTE)),
				request("POST", "/api/items", 201).body("Application/JSON; Charset=UTF-8", "{\"name\":\"é\",\"quantity\":1}"));
	}

	private static List<RequestSpec> cookiesAndSessions() {
		return List.of(get("/cookies/set", 200), get("/cookies", 200), get("/cookies/clear", 200), get("/cookies", 200),
				get("/session", 200), request("POST", "/session/create", 200), get("/session", 200), get("/session", 200),
				request("POST", "/session/change-id", 200), get("/session", 200), request("POST", "/session/invalidate", 200),
				get("/session", 200), request("POST", "/session/create", 200), get("/cookies", 200));
	}

	private static List<RequestSpec> redirectsAndErrors() {
		return List.of(get("/redirect/relative", 302), get("/redirect/parent", 302), get("/redirect/root", 302),
				get("/redirect/absolute", 302), get("/redirect/query", 302), get("/view-redirect", 302),
				get("/boom", 500).accept("application/json"), get("/boom", 500).accept("text/html"), get("/boom", 500),
				get("/send-error/418?message=short%20and%20stout", 418).accept("application/json"),
				get("/send-error/403", 403).accept("text/html"), get("/send-error/503", 503),
				get("/no/such/page", 404).accept("text/html"), get("/no/such/page", 404).accept("application/json"),
				request("POST", "/api/greeting", 405).accept("application/json"), get("/api/items/999", 404),
				get("/set-status/202", 202), get("/set-status/204", 204), get("/fail-after-commit", 200),
				get("/fail-after-commit?length=true", 200));
	}

	private static List<RequestSpec> dispatchHeadAndAsync() {
		return List.of(get("/forward?original=1", 200), get("/include", 200), request("HEAD", "/api/greeting", 200),
				request("HEAD", "/download?size=" + MEGABYTE, 200), request("HEAD", "/echo/head", 200),
				request("HEAD", "/index.html", 200), request("HEAD", "/no/such/page", 404),
				get("/async/deferred", 200), get("/async/deferred-error", 500).accept("application/json"),
				get("/async/callable", 200), get("/async/web-async-task", 200), get("/async/sse", 200),
				get("/events", 200).accept("text/event-stream"));
	}

	private static List<RequestSpec> security() {
		return List.of(get("/admin", 401), get("/admin", 401).header("Authorization", basic("admin:wrong")),
				get("/admin", 403).header("Authorization", basic("user:password")),
				get("/admin", 200).header("Authorization", basic("admin:admin")), get("/members/home", 302),
				get("/login", 200), request("POST", "/login", 403).body("application/x-www-form-urlencoded",
						"username=user&password=password"));
	}

	/** {@code server.compression.enabled} with its defaults: 2 KB and more of text, JSON and XML. */
	private static List<RequestSpec> compression() {
		return List.of(gzip("/text-of-size?size=2047"), gzip("/text-of-size?size=2048"),
				gzip("/text-of-size?size=5000"), gzip("/text-of-size?size=" + 3 * MEGABYTE),
				gzip("/text-of-size?size=50000&flush=true"), gzip("/text-of-size?size=5000&type=image/png"),
				gzip("/text-of-size?size=5000&type=text/html;charset=UTF-8"),
				gzip("/text-of-size?size=5000&etag=%22v1%22"), gzip("/text-of-size?size=5000&etag=W/%22v1%22"),
				gzip("/text-of-size?size=5000&vary=Origin&vary=Accept-Language"), gzip("/items?count=300"),
				get("/items?count=300", 200), get("/items?count=300", 200).header("Accept-Encoding", "deflate, br"),
				get("/items?count=300", 200).header("Accept-Encoding", "GZIP;q=0.5, br"),
				request("HEAD", "/items?count=300", 200).header("Accept-Encoding", "gzip"),
				get("/no/such/page", 404).accept("text/html").header("Accept-Encoding", "gzip"));
	}

	/** What Boot hands the container besides servlets and filters: listeners, SameSite suppliers, charset mappings. */
	private static List<RequestSpec> containerComponents() {
		return List.of(get("/web-listener", 200), get("/web-servlet/a/b?x=1", 200), get("/web-servlet", 200),
				request("POST", "/web-servlet/a", 403), get("/cookies/supplied", 200), get("/locale-charset?tag=de", 200),
				get("/locale-charset?tag=de-AT", 200), get("/locale-charset?tag=pt-BR", 200),
				get("/locale-charset?tag=pt", 200), get("/locale-charset?tag=en-GB", 200),
				get("/locale-charset?tag=it", 200));
	}

	/**
	 * HTTP/1.0 clients, which get no chunks: a response of unknown length must reach them whole,
	 * ended by the close of the connection.
	 */
	private static List<RequestSpec> http10() {
		return List.of(get("/api/greeting", 200).viaHttp10(), get("/async/streaming?size=" + MEGABYTE, 200).viaHttp10(),
				get("/text-of-size?size=50000&flush=true", 200).viaHttp10(),
				gzip("/text-of-size?size=5000").viaHttp10(), request("HEAD", "/download?size=" + MEGABYTE, 200).viaHttp10(),
				get("/index.html", 206).header("Range", "bytes=0-9").viaHttp10(),
				request("POST", "/text", 200).body("text/plain;charset=UTF-8", "Grüße über HTTP/1.0").viaHttp10(),
				get("/no/such/page", 404).accept("text/html").viaHttp10());
	}

	private static RequestSpec gzip(String path) {
		return get(path, 200).header("Accept-Encoding", "gzip, deflate, br");
	}

	private static RequestSpec get(String path, int expectedStatus) {
		return RequestSpec.get(CONTEXT_PATH + path, expectedStatus);
	}

	private static RequestSpec request(String method, String path, int expectedStatus) {
		return RequestSpec.request(method, CONTEXT_PATH + path, expectedStatus);
	}

	private static String basic(String credentials) {
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private static final String BOUNDARY = "differential-boundary-7MA4YWxkTrZu0gW";

	private static String multipartContentType() {
		return "multipart/form-data; boundary=" + BOUNDARY;
	}

	private static byte[] multipart(String filename, byte[] content) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nnot a file\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return body.toByteArray();
	}

}
