package dev.fastcgi.sample;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events: five events 200 ms apart on one response, which only reach the browser
 * one by one when nothing between application and client buffers the response.
 */
@RestController
class EventsController implements DisposableBean {

	static final int EVENT_COUNT = 5;

	static final long INTERVAL_MILLIS = 200;

	/** One thread emits for every open stream; the request threads are released meanwhile. */
	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "sse-ticker");
		thread.setDaemon(true);
		return thread;
	});

	@GetMapping("/events")
	SseEmitter events() {
		SseEmitter emitter = new SseEmitter(EVENT_COUNT * INTERVAL_MILLIS + 10_000);
		for (int sequence = 1; sequence <= EVENT_COUNT; sequence++) {
			int number = sequence;
			this.ticker.schedule(() -> send(emitter, number), number * INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
		}
		return emitter;
	}

	private void send(SseEmitter emitter, int sequence) {
		try {
			emitter.send(SseEmitter.event().id(Integer.toString(sequence)).name("tick").data("tick " + sequence + " of " + EVENT_COUNT));
			if (sequence == EVENT_COUNT) {
				emitter.complete();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away or the emitter timed out; the later ticks fail the same way.
			emitter.completeWithError(ex);
		}
	}

	@Override
	public void destroy() {
		this.ticker.shutdownNow();
	}

}
