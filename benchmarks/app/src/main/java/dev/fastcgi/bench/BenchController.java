package dev.fastcgi.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Spring MVC endpoints the workloads call. */
@RestController
class BenchController {

	private static final byte[] HUNDRED_KB = new byte[100 * 1024];

	static {
		Arrays.fill(HUNDRED_KB, (byte) 'x');
	}

	@GetMapping("/json")
	Message json() {
		return new Message("Hello, World!", 42, true);
	}

	@GetMapping(path = "/bytes/100k", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	byte[] bytes() {
		return HUNDRED_KB;
	}

	@PostMapping("/upload")
	Received upload(InputStream body) throws IOException {
		byte[] buffer = new byte[16 * 1024];
		long total = 0;
		int count;
		while ((count = body.read(buffer)) != -1) {
			total += count;
		}
		return new Received(total);
	}

	record Message(String message, int id, boolean ok) {
	}

	record Received(long bytes) {
	}

}
