package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Requests through {@link HttpClient} for ordinary cases; {@link RawHttpConnection} for requests
 * it would normalise or refuse. HTTP/1.1 only, since that is what the web servers under test
 * speak on plain ports, and redirects are returned rather than followed.
 */
public final class E2eHttp {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(TIMEOUT)
		.build();

	private E2eHttp() {
	}

	/** A request builder with the timeout every test request should have. */
	public static HttpRequest.Builder request(URI uri) {
		return HttpRequest.newBuilder(uri).timeout(TIMEOUT);
	}

	public static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
		return send(request(uri).GET().build());
	}

	/** A GET whose response arrives later, for requests that should be in flight together. */
	public static CompletableFuture<HttpResponse<String>> sendAsync(URI uri) {
		return CLIENT.sendAsync(request(uri).GET().build(), BodyHandlers.ofString());
	}

	public static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return CLIENT.send(request, BodyHandlers.ofString());
	}

	public static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> bodyHandler)
			throws IOException, InterruptedException {
		return CLIENT.send(request, bodyHandler);
	}

}
