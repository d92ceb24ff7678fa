package dev.fastcgi.boot;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

import dev.fastcgi.server.FastCgiServer;
import dev.fastcgi.server.ServerSettings;

/**
 * The application's web server when it speaks FastCGI: starts and stops the listener and the
 * servlet context behind it.
 */
public final class FastCgiWebServer implements WebServer {

	private static final Log logger = LogFactory.getLog(FastCgiWebServer.class);

	/** Boot's shutdown phase timeout ends a graceful shutdown by calling {@link #stop()}. */
	private static final Duration UNBOUNDED = Duration.ofDays(365);

	private final FastCgiServer server;

	private final ServerSettings settings;

	private final Runnable onStart;

	private final Runnable onStop;

	private volatile boolean started;

	FastCgiWebServer(FastCgiServer server, ServerSettings settings, Runnable onStart, Runnable onStop) {
		this.server = server;
		this.settings = settings;
		this.onStart = onStart;
		this.onStop = onStop;
	}

	@Override
	public synchronized void start() throws WebServerException {
		if (this.started) {
			return;
		}
		this.onStart.run();
		try {
			this.server.start();
		}
		catch (java.net.BindException ex) {
			if (this.settings.getAddress() instanceof dev.fastcgi.server.ListenAddress.Tcp tcp) {
				throw new PortInUseException(tcp.port(), ex);
			}
			throw new WebServerException("Cannot listen on fastcgi.socket=" + this.settings.getAddress() + ": "
					+ ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new WebServerException("Cannot listen on fastcgi.socket=" + this.settings.getAddress() + ": "
					+ ex.getMessage(), ex);
		}
		this.started = true;
		logger.info("FastCGI server listening on " + this.server.getDescription() + " (backlog "
				+ this.settings.getBacklog() + ") in role(s) " + this.settings.getRoles()
					.stream()
					.map((role) -> role.name().toLowerCase())
					.collect(Collectors.joining(", ")));
	}

	@Override
	public synchronized void stop() throws WebServerException {
		this.server.stop();
		if (this.started) {
			this.started = false;
			this.onStop.run();
		}
	}

	@Override
	public int getPort() {
		return this.server.getPort();
	}

	@Override
	public void shutDownGracefully(GracefulShutdownCallback callback) {
		logger.info("Commencing graceful shutdown of the FastCGI server. Waiting for active requests to complete");
		Thread thread = new Thread(() -> {
			boolean idle = this.server.shutdownGracefully(UNBOUNDED);
			logger.info("Graceful shutdown of the FastCGI server " + (idle ? "complete" : "aborted with requests active"));
			callback.shutdownComplete(idle ? GracefulShutdownResult.IDLE : GracefulShutdownResult.REQUESTS_ACTIVE);
		}, "fastcgi-shutdown");
		thread.start();
	}

	/** The underlying server, for metrics and health. */
	public FastCgiServer getServer() {
		return this.server;
	}

}
