package dev.fastcgi.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring MVC's {@link DispatcherServlet} served through the bridge, as the boot layer will
 * register it.
 */
class DispatcherServletIntegrationTests {

	private final FastCgiServletContext context = new FastCgiServletContext("/app");

	private final FastCgiServletHandler handler = new FastCgiServletHandler(this.context);

	@BeforeEach
	void start() throws Exception {
		AnnotationConfigWebApplicationContext webContext = new AnnotationConfigWebApplicationContext();
		webContext.register(WebConfig.class);
		ServletRegistration.Dynamic dispatcher = this.context.addServlet("dispatcherServlet",
				new DispatcherServlet(webContext));
		dispatcher.addMapping("/");
		dispatcher.setAsyncSupported(true);
		dispatcher.setLoadOnStartup(1);
		dispatcher.setMultipartConfig(new MultipartConfigElement("", 64, 1024, 16));
		this.context.addServlet("error", new HttpServlet() {
			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
				response.setContentType("text/plain");
				response.getWriter()
					.print("error " + request.getAttribute("jakarta.servlet.error.status_code") + " at "
							+ request.getAttribute("jakarta.servlet.error.request_uri") + ": "
							+ ((Throwable) request.getAttribute("jakarta.servlet.error.exception")).getMessage());
			}
		}).addMapping("/error");
		this.context.setGlobalErrorPage("/error");
		this.context.setAsyncTimeout(Duration.ofMillis(300));
		this.context.start();
	}

	@AfterEach
	void stop() {
		this.context.stop();
	}

	@Test
	void getReturnsText() throws IOException {
		TestExchange.CgiResponse response = serve(TestExchange.get("/app/hello/w%C3%B6rld"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).isEqualTo("text/plain;charset=UTF-8");
		assertThat(response.bodyText()).isEqualTo("hello wörld");
		assertThat(response.header("Content-Length")).isEqualTo(
				Integer.toString("hello wörld".getBytes(StandardCharsets.UTF_8).length));
	}

	@Test
	void postForm() throws IOException {
		TestExchange.CgiResponse response = serve(TestExchange.request("POST", "/app/form?b=2")
			.body("application/x-www-form-urlencoded", "a=1"));
		assertThat(response.bodyText()).isEqualTo("a=1 b=2");
	}

	@Test
	void uncaughtExceptionGoesToTheErrorPage() throws IOException {
		TestExchange.CgiResponse response = serve(TestExchange.get("/app/fail"));
		assertThat(response.status()).isEqualTo(500);
		assertThat(response.bodyText()).isEqualTo("error 500 at /app/fail: broken");
	}

	@Test
	void unknownPathIsNotFoundFromSpring() throws IOException {
		assertThat(serve(TestExchange.get("/app/missing")).status()).isEqualTo(404);
	}

	@Test
	void deferredResultCompletedFromAnotherThread() throws IOException {
		TestExchange.CgiResponse response = serve(TestExchange.get("/app/deferred"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.bodyText()).isEqualTo("deferred done");
	}

	@Test
	void deferredResultTimeoutIsServiceUnavailable() throws IOException {
		assertThat(serve(TestExchange.get("/app/never")).status()).isEqualTo(503);
	}

	@Test
	void streamingAndServerSentEvents() throws IOException {
		TestExchange streaming = TestExchange.get("/app/stream");
		assertThat(serve(streaming).bodyText()).isEqualTo("0 1 2 ");
		TestExchange events = TestExchange.get("/app/events");
		TestExchange.CgiResponse response = serve(events);
		assertThat(response.header("Content-Type")).startsWith("text/event-stream");
		assertThat(response.bodyText()).isEqualTo("data:one\n\ndata:two\n\n");
		assertThat(events.flushCount()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void multipartUploadInSmallChunks() throws IOException {
		String boundary = "----boundary42";
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nnotes\r\n" + "--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
				+ "Content-Type: text/plain\r\n\r\n0123456789abcdefghijklmnopqrstuvwxyz\r\n--" + boundary + "--\r\n";
		TestExchange exchange = TestExchange.request("POST", "/app/upload")
			.body("multipart/form-data; boundary=" + boundary, body)
			.chunkSize(5);
		TestExchange.CgiResponse response = serve(exchange);
		assertThat(response.bodyText()).isEqualTo("notes a.txt 36 0123456789abcdefghijklmnopqrstuvwxyz");
		try (Stream<Path> files = Files.list(this.context.getTempDirectory())) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void multipartFileTooLargeIsContentTooLarge() throws IOException {
		String boundary = "b";
		String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n"
				+ "x".repeat(100) + "\r\n--b--\r\n";
		TestExchange.CgiResponse response = serve(
				TestExchange.request("POST", "/app/upload").body("multipart/form-data; boundary=" + boundary, body));
		assertThat(response.status()).isEqualTo(413);
	}

	private TestExchange.CgiResponse serve(TestExchange exchange) throws IOException {
		this.handler.handle(exchange);
		return exchange.response();
	}

	@Configuration
	@EnableWebMvc
	static class WebConfig {

		@Bean
		DemoController demoController() {
			return new DemoController();
		}

		@Bean
		StandardServletMultipartResolver multipartResolver() {
			return new StandardServletMultipartResolver();
		}

	}

	@RestController
	static class DemoController {

		@GetMapping(path = "/hello/{name}", produces = "text/plain;charset=UTF-8")
		String hello(@PathVariable("name") String name) {
			return "hello " + name;
		}

		@PostMapping("/form")
		String form(@RequestParam("a") String a, @RequestParam("b") String b) {
			return "a=" + a + " b=" + b;
		}

		@GetMapping("/fail")
		String fail() {
			throw new IllegalStateException("broken");
		}

		@GetMapping("/deferred")
		DeferredResult<String> deferred() {
			DeferredResult<String> result = new DeferredResult<>();
			CompletableFuture.runAsync(() -> result.setResult("deferred done"),
					CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
			return result;
		}

		@GetMapping("/never")
		DeferredResult<String> never() {
			return new DeferredResult<>();
		}

		@GetMapping("/stream")
		StreamingResponseBody stream() {
			return (output) -> {
				for (int i = 0; i < 3; i++) {
					output.write((i + " ").getBytes(StandardCharsets.UTF_8));
					output.flush();
				}
			};
		}

		@GetMapping("/events")
		SseEmitter events() {
			SseEmitter emitter = new SseEmitter();
			CompletableFuture.runAsync(() -> {
				try {
					emitter.send("one");
					emitter.send("two");
					emitter.complete();
				}
				catch (IOException ex) {
					emitter.completeWithError(ex);
				}
			});
			return emitter;
		}

		@PostMapping("/upload")
		String upload(@RequestParam("title") String title, @RequestParam("file") MultipartFile file) throws IOException {
			return title + " " + file.getOriginalFilename() + " " + file.getSize() + " "
					+ new String(file.getBytes(), StandardCharsets.UTF_8);
		}

	}

}
