package dev.fastcgi.sample;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** JSON endpoints; items live in memory for as long as the application runs. */
@RestController
@RequestMapping("/api")
class ApiController {

	private static final long MAX_SLOW_MILLIS = 60_000;

	private static final Log logger = LogFactory.getLog(ApiController.class);

	private final Map<Long, Item> items = new ConcurrentHashMap<>();

	private final AtomicLong lastId = new AtomicLong();

	@GetMapping("/greeting")
	Greeting greeting(@RequestParam(defaultValue = "World") String name) {
		return new Greeting("Hello, " + name + "!");
	}

	/**
	 * Answers after a delay, to watch a request in flight: graceful shutdown lets it finish, and
	 * the process id tells which of several processes (lighttpd {@code max-procs}) served it.
	 */
	@GetMapping("/slow")
	Slow slow(@RequestParam(defaultValue = "1000") long ms) throws InterruptedException {
		if (ms < 0 || ms > MAX_SLOW_MILLIS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "ms must be between 0 and " + MAX_SLOW_MILLIS);
		}
		logger.info("Slow request: answering in " + ms + " ms");
		Thread.sleep(ms);
		return new Slow(ms, ProcessHandle.current().pid());
	}

	@GetMapping("/items/{id}")
	Item item(@PathVariable long id) {
		Item item = this.items.get(id);
		if (item == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No item " + id);
		}
		return item;
	}

	@PostMapping("/items")
	ResponseEntity<Item> createItem(@RequestBody NewItem newItem) {
		if (newItem.name() == null || newItem.name().isBlank()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "An item needs a name");
		}
		Item item = new Item(this.lastId.incrementAndGet(), newItem.name(), newItem.quantity());
		this.items.put(item.id(), item);
		// Built from the current request so that it carries the scheme, host and prefix the
		// web server reports, which is what a FastCGI bridge has to get right.
		URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(item.id()).toUri();
		return ResponseEntity.created(location).body(item);
	}

	record Greeting(String greeting) {
	}

	record Slow(long sleptMillis, long processId) {
	}

	record NewItem(String name, int quantity) {
	}

	record Item(long id, String name, int quantity) {
	}

}
