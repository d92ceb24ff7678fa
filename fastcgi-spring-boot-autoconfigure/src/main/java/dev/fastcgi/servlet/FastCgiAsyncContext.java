package dev.fastcgi.servlet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The async cycle of a request. The thread that runs the request (the server's connection
 * thread) waits in {@link #awaitNext()} until the application dispatches or completes, the
 * timeout expires or the web server goes away; it then runs the ASYNC dispatch or finishes the
 * response itself, so that the FastCGI request ends only when the response is complete.
 */
final class FastCgiAsyncContext implements AsyncContext {

	private static final Log logger = LogFactory.getLog(FastCgiAsyncContext.class);

	private final FastCgiServletRequest request;

	private final List<RegisteredListener> listeners = new ArrayList<>();

	private ServletRequest servletRequest;

	private ServletResponse servletResponse;

	private boolean originalRequestAndResponse;

	private long timeout;

	private State state = State.NOT_STARTED;

	private String dispatchPath;

	private IOException abortCause;

	private boolean abortReported;

	FastCgiAsyncContext(FastCgiServletRequest request) {
		this.request = request;
	}

	/** Begins a cycle: the first one, or another during an ASYNC dispatch. */
	synchronized void start(ServletRequest servletRequest, ServletResponse servletResponse, boolean original) {
		if (this.state != State.NOT_STARTED && this.state != State.DISPATCHING) {
			throw new IllegalStateException("startAsync() is not allowed now: the async cycle is " + this.state);
		}
		this.servletRequest = servletRequest;
		this.servletResponse = servletResponse;
		this.originalRequestAndResponse = original;
		this.timeout = this.request.servletContext().getAsyncTimeout().toMillis();
		this.state = State.STARTED;
		List<RegisteredListener> previous = List.copyOf(this.listeners);
		this.listeners.clear();
		for (RegisteredListener listener : previous) {
			notify(listener, AsyncListener::onStartAsync, null);
		}
	}

	/** Whether a cycle started and nothing ended it yet (as {@code isAsyncStarted()} reports). */
	synchronized boolean isStarted() {
		return this.state == State.STARTED || this.state == State.DISPATCH_REQUESTED
				|| this.state == State.COMPLETE_REQUESTED;
	}

	/**
	 * Called by the web server abort callback: the client is gone, so listeners hear
	 * {@code onError} with an {@link IOException}.
	 */
	synchronized void abort() {
		if (this.abortCause == null) {
			this.abortCause = new IOException("The web server aborted the request");
			notifyAll();
		}
	}

	/**
	 * Waits until the application decides what happens next or time runs out.
	 * @return the next step for the request thread
	 */
	synchronized Next awaitNext() throws InterruptedException {
		long deadline = (this.timeout > 0) ? System.currentTimeMillis() + this.timeout : 0;
		while (true) {
			if (this.state == State.DISPATCH_REQUESTED) {
				this.state = State.DISPATCHING;
				return Next.DISPATCH;
			}
			if (this.state == State.COMPLETE_REQUESTED) {
				return Next.COMPLETE;
			}
			if (this.abortCause != null && !this.abortReported) {
				this.abortReported = true;
				return Next.ABORTED;
			}
			long remaining = (deadline > 0) ? deadline - System.currentTimeMillis() : 0;
			if (deadline > 0 && remaining <= 0) {
				return Next.TIMED_OUT;
			}
			wait(remaining);
		}
	}

	/** Whether the application dispatched or completed (while listeners were told of a timeout, say). */
	synchronized boolean hasDecided() {
		return this.state == State.DISPATCH_REQUESTED || this.state == State.COMPLETE_REQUESTED;
	}

	/** Lets listeners of an ASYNC dispatch failure dispatch or complete, as they may. */
	synchronized void reopenForError() {
		this.state = State.STARTED;
	}

	synchronized String dispatchPath() {
		return this.dispatchPath;
	}

	synchronized ServletRequest servletRequest() {
		return this.servletRequest;
	}

	synchronized ServletResponse servletResponse() {
		return this.servletResponse;
	}

	/** Ends the cycle and tells the listeners {@code onComplete}. */
	void finish() {
		List<RegisteredListener> toNotify;
		synchronized (this) {
			this.state = State.COMPLETED;
			toNotify = List.copyOf(this.listeners);
		}
		toNotify.forEach((listener) -> notify(listener, AsyncListener::onComplete, null));
	}

	void fireTimeout() {
		snapshotListeners().forEach((listener) -> notify(listener, AsyncListener::onTimeout, null));
	}

	void fireError(Throwable error) {
		snapshotListeners().forEach((listener) -> notify(listener, AsyncListener::onError, error));
	}

	synchronized IOException abortCause() {
		return this.abortCause;
	}

	private synchronized List<RegisteredListener> snapshotListeners() {
		return List.copyOf(this.listeners);
	}

	private void notify(RegisteredListener registered, ListenerMethod method, Throwable error) {
		AsyncEvent event = new AsyncEvent(this, registered.request(), registered.response(), error);
		try {
			method.call(registered.listener(), event);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Async listener " + registered.listener() + " failed", ex);
		}
	}

	// AsyncContext

	@Override
	public synchronized ServletRequest getRequest() {
		if (this.state == State.COMPLETED) {
			throw new IllegalStateException("The async cycle has completed");
		}
		return this.servletRequest;
	}

	@Override
	public synchronized ServletResponse getResponse() {
		if (this.state == State.COMPLETED) {
			throw new IllegalStateException("The async cycle has completed");
		}
		return this.servletResponse;
	}

	@Override
	public synchronized boolean hasOriginalRequestAndResponse() {
		return this.originalRequestAndResponse;
	}

	/** Dispatches to the URI of the request the cycle was started with. */
	@Override
	public void dispatch() {
		ServletRequest current = getRequest();
		String path;
		if (current instanceof HttpServletRequest httpRequest) {
			path = httpRequest.getRequestURI().substring(httpRequest.getContextPath().length());
			if (httpRequest.getQueryString() != null) {
				path += "?" + httpRequest.getQueryString();
			}
		}
		else {
			path = this.request.rootState().requestUri().substring(this.request.getContextPath().length());
		}
		dispatch(path);
	}

	@Override
	public synchronized void dispatch(String path) {
		if (this.state != State.STARTED) {
			throw new IllegalStateException("dispatch() is not allowed now: the async cycle is " + this.state);
		}
		this.dispatchPath = path;
		this.state = State.DISPATCH_REQUESTED;
		notifyAll();
	}

	@Override
	public void dispatch(ServletContext context, String path) {
		if (context != this.request.getServletContext()) {
			throw new IllegalArgumentException("Cannot dispatch to another context");
		}
		dispatch(path);
	}

	@Override
	public synchronized void complete() {
		if (this.state == State.STARTED || this.state == State.DISPATCHING) {
			this.state = State.COMPLETE_REQUESTED;
			notifyAll();
		}
		else if (this.state == State.DISPATCH_REQUESTED) {
			throw new IllegalStateException("complete() after dispatch()");
		}
	}

	@Override
	public void start(Runnable run) {
		this.request.servletContext().asyncExecutor().execute(run);
	}

	@Override
	public void addListener(AsyncListener listener) {
		addListener(listener, this.servletRequest, this.servletResponse);
	}

	@Override
	public synchronized void addListener(AsyncListener listener, ServletRequest servletRequest,
			ServletResponse servletResponse) {
		if (this.state != State.STARTED) {
			throw new IllegalStateException("Listeners can only be added while the async cycle is starting");
		}
		this.listeners.add(new RegisteredListener(listener, servletRequest, servletResponse));
	}

	@Override
	public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
		try {
			return clazz.getDeclaredConstructor().newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new ServletException("Cannot create " + clazz.getName(), ex);
		}
	}

	@Override
	public synchronized void setTimeout(long timeout) {
		this.timeout = timeout;
	}

	@Override
	public synchronized long getTimeout() {
		return this.timeout;
	}

	enum Next {

		DISPATCH, COMPLETE, TIMED_OUT, ABORTED

	}

	private enum State {

		NOT_STARTED, STARTED, DISPATCH_REQUESTED, DISPATCHING, COMPLETE_REQUESTED, COMPLETED

	}

	@FunctionalInterface
	private interface ListenerMethod {

		void call(AsyncListener listener, AsyncEvent event) throws IOException;

	}

	private record RegisteredListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
	}

}
