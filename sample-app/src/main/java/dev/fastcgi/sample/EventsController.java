package dev.fastcgi.sample;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	private static final Log logger = LogFactory.getLog(EventsController.class);

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
		EventStream stream = new EventStream(emitter);
		// A client that goes away is reported by the web server closing the connection: as an
		// async error when the application notices it first, otherwise as a failing send.
		emitter.onError(stream::abandon);
		for (int sequence = 1; sequence <= EVENT_COUNT; sequence++) {
			int number = sequence;
			this.ticker.schedule(() -> stream.send(number), number * INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
		}
		return emitter;
	}

	@Override
	public void destroy() {
		this.ticker.shutdownNow();
	}

	/** One response's events; says in the log how it ended. */
	private static final class EventStream {

		private final SseEmitter emitter;

		private final AtomicInteger sent = new AtomicInteger();

		private final AtomicBoolean ended = new AtomicBoolean();

		EventStream(SseEmitter emitter) {
			this.emitter = emitter;
		}

		void send(int sequence) {
			if (this.ended.get()) {
				return;
			}
			try {
				this.emitter.send(SseEmitter.event()
					.id(Integer.toString(sequence))
					.name("tick")
					.data("tick " + sequence + " of " + EVENT_COUNT));
				this.sent.incrementAndGet();
				if (sequence == EVENT_COUNT && this.ended.compareAndSet(false, true)) {
					this.emitter.complete();
					logger.info("Event stream complete: " + EVENT_COUNT + " events sent");
				}
			}
			catch (IOException | IllegalStateException ex) {
				abandon(ex);
				this.emitter.completeWithError(ex);
			}
		}

		void abandon(Throwable cause) {
			if (this.ended.compareAndSet(false, true)) {
				logger.info("Event stream abandoned after " + this.sent.get() + " of " + EVENT_COUNT
						+ " events, the client went away: " + cause);
			}
		}

	}

}
