package dev.fastcgi.servlet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.ServletException;

/**
 * Where the ERROR dispatch goes: a page per status, a page per exception type (its nearest
 * superclass counts too) and a global page for everything else.
 */
final class ErrorPages {

	private final Map<Integer, String> byStatus = new ConcurrentHashMap<>();

	private final Map<Class<?>, String> byException = new ConcurrentHashMap<>();

	private volatile String global;

	void addForStatus(int status, String location) {
		this.byStatus.put(status, checkLocation(location));
	}

	void addForException(Class<? extends Throwable> exceptionType, String location) {
		this.byException.put(exceptionType, checkLocation(location));
	}

	void setGlobal(String location) {
		this.global = (location != null) ? checkLocation(location) : null;
	}

	/** The page for a status, else the global page, else {@code null}. */
	String forStatus(int status) {
		String location = this.byStatus.get(status);
		return (location != null) ? location : this.global;
	}

	/**
	 * The page for an exception, else for the root cause of a {@link ServletException} (Tomcat
	 * looks there too), else {@code null}.
	 */
	String forException(Throwable exception) {
		String location = forExceptionType(exception.getClass());
		if (location == null && exception instanceof ServletException servletException
				&& servletException.getRootCause() != null) {
			location = forExceptionType(servletException.getRootCause().getClass());
		}
		return location;
	}

	private String forExceptionType(Class<?> type) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			String location = this.byException.get(candidate);
			if (location != null) {
				return location;
			}
		}
		return null;
	}

	private static String checkLocation(String location) {
		if (!location.startsWith("/")) {
			throw new IllegalArgumentException("Error page location '" + location + "' must start with '/'");
		}
		return location;
	}

}
