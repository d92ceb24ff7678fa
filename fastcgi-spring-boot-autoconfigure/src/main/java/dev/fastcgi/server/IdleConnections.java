package dev.fastcgi.server;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Kept connections with nothing to do, waiting on one thread for the web server's next request;
 * each is handed back to a worker when input comes. Platform threads only: a thread per idle
 * connection would cost its stack, and waking a thread per request, each blocked in its own
 * read, costs more than handing requests to workers that are already running.
 * <p>
 * A connection stays watched while its worker answers the request, so that parking again after
 * it changes nothing in the selector: the thread reads what came before handing the connection
 * over, leaving the socket nothing to report until the next request. Only input that comes while
 * the connection has a thread (a body, another request, a lingering connection's next one) makes
 * it stop watching until the connection parks again: two changes, as every park once took.
 */
final class IdleConnections {

	private static final Log logger = LogFactory.getLog(IdleConnections.class);

	private final Selector selector;

	private final Queue<Connection> arriving = new ConcurrentLinkedQueue<>();

	/** Whether the thread may be blocked in select, so that an arrival has to wake it. */
	private final AtomicBoolean selecting = new AtomicBoolean();

	private volatile boolean stopped;

	/**
	 * Given to select rather than kept in a selected-key set: no set to add to, iterate and clear
	 * every time the thread wakes. No longer selecting once a key is selected.
	 */
	private final Consumer<SelectionKey> resumeSelected = (key) -> {
		this.selecting.set(false);
		inputCame((Connection) key.attachment(), key);
	};

	IdleConnections(SelectorProvider provider) throws IOException {
		this.selector = provider.openSelector();
		Thread thread = new Thread(this::selectLoop, "fastcgi-idle");
		thread.setDaemon(true);
		thread.start();
	}

	/** Waits for input on the connection, then resumes it; the connection's channel is non-blocking. */
	void add(Connection connection) {
		if (connection.isWatched() && connection.channel().isOpen() && !this.stopped) {
			return;
		}
		this.arriving.add(connection);
		if (this.stopped) {
			closeArriving();
		}
		else if (this.selecting.compareAndSet(true, false)) {
			this.selector.wakeup();
		}
	}

	void stop() {
		this.stopped = true;
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			logger.debug("Could not close the selector of idle FastCGI connections", ex);
		}
	}

	private void selectLoop() {
		try {
			while (!this.stopped) {
				registerArrivals();
				this.selecting.set(true);
				if (this.arriving.isEmpty()) {
					this.selector.select(this.resumeSelected);
				}
				else {
					this.selector.selectNow(this.resumeSelected);
				}
				this.selecting.set(false);
			}
		}
		catch (ClosedSelectorException ex) {
			// stopped
		}
		catch (IOException | RuntimeException ex) {
			if (!this.stopped) {
				logger.error("Waiting for input on idle FastCGI connections failed; closing them", ex);
				closeAll();
			}
		}
	}

	/** Closes the connections waiting here, so that none waits for a thread that stopped. */
	private void closeAll() {
		this.stopped = true;
		for (SelectionKey key : this.selector.keys()) {
			// one with a thread closes when it parks next and finds this stopped
			((Connection) key.attachment()).closeIfParked();
		}
		closeArriving();
	}

	private void closeArriving() {
		Connection connection;
		while ((connection = this.arriving.poll()) != null) {
			connection.close();
		}
	}

	private void registerArrivals() {
		Connection connection;
		while ((connection = this.arriving.poll()) != null) {
			try {
				SelectionKey key = connection.channel().keyFor(this.selector);
				if (key == null) {
					connection.channel().register(this.selector, SelectionKey.OP_READ, connection);
				}
				else {
					key.interestOps(SelectionKey.OP_READ);
				}
				connection.setWatched(true);
			}
			catch (ClosedChannelException | CancelledKeyException ex) {
				// closed meanwhile: the resumed connection finds out and ends
				connection.resume();
			}
		}
	}

	private void inputCame(Connection connection, SelectionKey key) {
		if (connection.resumeWithInput()) {
			return;
		}
		// its thread reads the input: the socket would be reported at every select until then
		try {
			key.interestOps(0);
		}
		catch (CancelledKeyException ex) {
			// closed meanwhile; its thread ends it
		}
		connection.setWatched(false);
		// it may have parked meanwhile, still seeing itself watched
		connection.resumeWithInput();
	}

}
