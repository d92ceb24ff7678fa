package dev.fastcgi.boot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.fastcgi.servlet.FastCgiServletRequest;

/**
 * Copies log events of a level and above to the STDERR stream of the FastCGI request the logging
 * thread serves, so that they reach the web server's error log. The request is the one Spring MVC
 * holds for the thread ({@link RequestContextHolder}); its STDERR is its
 * {@link FastCgiServletRequest#STDERR_ATTRIBUTE}. Events on other threads, and requests that did
 * not come over FastCGI, are left alone. Attached to Logback's root logger while the bean lives.
 */
final class StderrLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
		implements InitializingBean, DisposableBean {

	private static final String PATTERN = "%-5level %logger - %message%n%exception{short}";

	private final LoggerContext loggerContext;

	private final Level threshold;

	private final PatternLayout layout = new PatternLayout();

	StderrLogAppender(LoggerContext loggerContext, Level threshold) {
		this.loggerContext = loggerContext;
		this.threshold = threshold;
		setName("FASTCGI_STDERR");
		setContext(loggerContext);
		this.layout.setContext(loggerContext);
		this.layout.setPattern(PATTERN);
	}

	@Override
	public void afterPropertiesSet() {
		this.layout.start();
		start();
		rootLogger().addAppender(this);
	}

	@Override
	public void destroy() {
		rootLogger().detachAppender(this);
		stop();
		this.layout.stop();
	}

	private Logger rootLogger() {
		return this.loggerContext.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	@Override
	protected void append(ILoggingEvent event) {
		if (!event.getLevel().isGreaterOrEqual(this.threshold)) {
			return;
		}
		OutputStream stderr = currentRequestStderr();
		if (stderr == null) {
			return;
		}
		byte[] text = this.layout.doLayout(event).getBytes(StandardCharsets.UTF_8);
		synchronized (stderr) {
			try {
				stderr.write(text);
				stderr.flush();
			}
			catch (IOException ex) {
				// the request has ended or the web server went away: nobody reads it any more
			}
		}
	}

	private static OutputStream currentRequestStderr() {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request == null) {
			return null;
		}
		try {
			return (request.getAttribute(FastCgiServletRequest.STDERR_ATTRIBUTE,
					RequestAttributes.SCOPE_REQUEST) instanceof OutputStream stderr) ? stderr : null;
		}
		catch (IllegalStateException ex) {
			// the request is no longer active
			return null;
		}
	}

}
