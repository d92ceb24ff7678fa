package dev.fastcgi.servlet;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * In-memory HTTP sessions of one context. Expired sessions are noticed when a request asks for
 * them and by a sweep once a minute, so that abandoned sessions do not hold memory forever.
 */
public final class SessionManager {

	private static final int ID_BYTES = 16;

	private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

	private final FastCgiServletContext context;

	private final SecureRandom random = new SecureRandom();

	private final Map<String, FastCgiSession> sessions = new ConcurrentHashMap<>();

	private volatile Duration timeout = Duration.ofMinutes(30);

	private ScheduledExecutorService sweeper;

	SessionManager(FastCgiServletContext context) {
		this.context = context;
	}

	FastCgiServletContext context() {
		return this.context;
	}

	/** How long a session lives without requests; zero or negative: until invalidated. */
	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	/** The number of sessions held, expired ones not yet swept included. */
	public int getSessionCount() {
		return this.sessions.size();
	}

	/** The valid session with the id, or {@code null}; an expired one is ended on the way. */
	FastCgiSession find(String id) {
		if (id == null) {
			return null;
		}
		FastCgiSession session = this.sessions.get(id);
		if (session != null && session.isExpired(System.currentTimeMillis())) {
			invalidate(session);
			return null;
		}
		return session;
	}

	FastCgiSession create() {
		long seconds = this.timeout.getSeconds();
		int maxInactiveInterval = (seconds > 0) ? (int) Math.min(seconds, Integer.MAX_VALUE) : -1;
		FastCgiSession session = new FastCgiSession(this, newId(), maxInactiveInterval);
		this.sessions.put(session.getId(), session);
		this.context.fireSessionCreated(session);
		return session;
	}

	/** Gives the session a new id, as session fixation protection asks; returns the new id. */
	String changeId(FastCgiSession session) {
		String oldId = session.getId();
		String newId = newId();
		synchronized (session) {
			this.sessions.remove(oldId);
			session.changeId(newId);
			this.sessions.put(newId, session);
		}
		this.context.fireSessionIdChanged(session, oldId);
		return newId;
	}

	void invalidate(FastCgiSession session) {
		if (this.sessions.remove(session.getId(), session)) {
			session.expire();
		}
	}

	synchronized void start() {
		this.sweeper = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "fastcgi-session-sweeper");
			thread.setDaemon(true);
			return thread;
		});
		long interval = SWEEP_INTERVAL.toMillis();
		this.sweeper.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
	}

	/** Stops sweeping and ends every session, so that session listeners hear of each. */
	synchronized void stop() {
		if (this.sweeper != null) {
			this.sweeper.shutdownNow();
			this.sweeper = null;
		}
		List.copyOf(this.sessions.values()).forEach(this::invalidate);
	}

	void sweep() {
		long now = System.currentTimeMillis();
		for (FastCgiSession session : List.copyOf(this.sessions.values())) {
			if (session.isExpired(now)) {
				invalidate(session);
			}
		}
	}

	private String newId() {
		byte[] bytes = new byte[ID_BYTES];
		String id;
		do {
			this.random.nextBytes(bytes);
			id = HexFormat.of().withUpperCase().formatHex(bytes);
		}
		while (this.sessions.containsKey(id));
		return id;
	}

}
