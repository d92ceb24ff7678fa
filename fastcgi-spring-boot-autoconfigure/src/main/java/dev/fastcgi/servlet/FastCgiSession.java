package dev.fastcgi.servlet;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;

/**
 * An in-memory session of a {@link SessionManager}.
 */
final class FastCgiSession implements HttpSession {

	private final SessionManager manager;

	private final long creationTime;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private volatile String id;

	private volatile long lastAccessedTime;

	private volatile int maxInactiveInterval;

	private volatile boolean isNew = true;

	private volatile boolean valid = true;

	FastCgiSession(SessionManager manager, String id, int maxInactiveInterval) {
		this.manager = manager;
		this.id = id;
		this.maxInactiveInterval = maxInactiveInterval;
		this.creationTime = System.currentTimeMillis();
		this.lastAccessedTime = this.creationTime;
	}

	/** Records a request of the client that joined this session. */
	void access() {
		this.lastAccessedTime = System.currentTimeMillis();
		this.isNew = false;
	}

	boolean isExpired(long now) {
		return this.maxInactiveInterval > 0 && now - this.lastAccessedTime > this.maxInactiveInterval * 1000L;
	}

	boolean isValid() {
		return this.valid;
	}

	void changeId(String newId) {
		this.id = newId;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public long getCreationTime() {
		checkValid();
		return this.creationTime;
	}

	@Override
	public long getLastAccessedTime() {
		checkValid();
		return this.lastAccessedTime;
	}

	@Override
	public ServletContext getServletContext() {
		return this.manager.context();
	}

	@Override
	public void setMaxInactiveInterval(int interval) {
		this.maxInactiveInterval = interval;
	}

	@Override
	public int getMaxInactiveInterval() {
		return this.maxInactiveInterval;
	}

	@Override
	public Object getAttribute(String name) {
		checkValid();
		return this.attributes.get(name);
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		checkValid();
		return Collections.enumeration(Set.copyOf(this.attributes.keySet()));
	}

	@Override
	public void setAttribute(String name, Object value) {
		if (name == null) {
			throw new IllegalArgumentException("Attribute name must not be null");
		}
		if (value == null) {
			removeAttribute(name);
			return;
		}
		checkValid();
		if (value instanceof HttpSessionBindingListener listener) {
			listener.valueBound(new HttpSessionBindingEvent(this, name, value));
		}
		Object old = this.attributes.put(name, value);
		if (old != null && old != value && old instanceof HttpSessionBindingListener listener) {
			listener.valueUnbound(new HttpSessionBindingEvent(this, name, old));
		}
		if (old == null) {
			this.manager.context().fireSessionAttributeAdded(new HttpSessionBindingEvent(this, name, value));
		}
		else {
			this.manager.context().fireSessionAttributeReplaced(new HttpSessionBindingEvent(this, name, old));
		}
	}

	@Override
	public void removeAttribute(String name) {
		checkValid();
		unbind(name);
	}

	private void unbind(String name) {
		Object old = this.attributes.remove(name);
		if (old == null) {
			return;
		}
		if (old instanceof HttpSessionBindingListener listener) {
			listener.valueUnbound(new HttpSessionBindingEvent(this, name, old));
		}
		this.manager.context().fireSessionAttributeRemoved(new HttpSessionBindingEvent(this, name, old));
	}

	@Override
	public void invalidate() {
		checkValid();
		this.manager.invalidate(this);
	}

	/** Called by the manager: listeners hear of the end first, then attributes are unbound. */
	void expire() {
		if (!this.valid) {
			return;
		}
		this.manager.context().fireSessionDestroyed(this);
		this.valid = false;
		Set.copyOf(this.attributes.keySet()).forEach(this::unbind);
	}

	@Override
	public boolean isNew() {
		checkValid();
		return this.isNew;
	}

	@Override
	public Accessor getAccessor() {
		String accessedId = this.id;
		return (Consumer<HttpSession> consumer) -> {
			FastCgiSession session = this.manager.find(accessedId);
			if (session == null) {
				throw new IllegalStateException("Session " + accessedId + " is no longer valid");
			}
			session.access();
			consumer.accept(session);
		};
	}

	private void checkValid() {
		if (!this.valid) {
			throw new IllegalStateException("Session " + this.id + " has been invalidated");
		}
	}

}
