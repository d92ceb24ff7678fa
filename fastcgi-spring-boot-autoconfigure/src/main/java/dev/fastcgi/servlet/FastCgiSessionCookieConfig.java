package dev.fastcgi.servlet;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.SessionCookieConfig;

/**
 * The session cookie's name and attributes; {@code HttpOnly} by default, as on Tomcat.
 */
final class FastCgiSessionCookieConfig implements SessionCookieConfig {

	private static final String DOMAIN = "Domain";

	private static final String PATH = "Path";

	private static final String COMMENT = "Comment";

	private static final String HTTP_ONLY = "HttpOnly";

	private static final String SECURE = "Secure";

	private static final String MAX_AGE = "Max-Age";

	private final FastCgiServletContext context;

	private String name = "JSESSIONID";

	private final Map<String, String> attributes = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

	FastCgiSessionCookieConfig(FastCgiServletContext context) {
		this.context = context;
		this.attributes.put(HTTP_ONLY, "");
	}

	@Override
	public void setName(String name) {
		this.context.checkNotStarted();
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("Session cookie name must not be empty");
		}
		this.name = name;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public void setDomain(String domain) {
		setAttribute(DOMAIN, domain);
	}

	@Override
	public String getDomain() {
		return getAttribute(DOMAIN);
	}

	@Override
	public void setPath(String path) {
		setAttribute(PATH, path);
	}

	@Override
	public String getPath() {
		return getAttribute(PATH);
	}

	@Override
	@Deprecated
	public void setComment(String comment) {
		setAttribute(COMMENT, comment);
	}

	@Override
	@Deprecated
	public String getComment() {
		return getAttribute(COMMENT);
	}

	@Override
	public void setHttpOnly(boolean httpOnly) {
		setAttribute(HTTP_ONLY, httpOnly ? "" : null);
	}

	@Override
	public boolean isHttpOnly() {
		return getAttribute(HTTP_ONLY) != null;
	}

	@Override
	public void setSecure(boolean secure) {
		setAttribute(SECURE, secure ? "" : null);
	}

	@Override
	public boolean isSecure() {
		return getAttribute(SECURE) != null;
	}

	@Override
	public void setMaxAge(int maxAge) {
		setAttribute(MAX_AGE, (maxAge >= 0) ? Integer.toString(maxAge) : null);
	}

	@Override
	public int getMaxAge() {
		String maxAge = getAttribute(MAX_AGE);
		return (maxAge != null) ? Integer.parseInt(maxAge) : -1;
	}

	@Override
	public synchronized void setAttribute(String name, String value) {
		this.context.checkNotStarted();
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("Cookie attribute name must not be empty");
		}
		if (value == null) {
			this.attributes.remove(name);
		}
		else {
			if (name.equalsIgnoreCase(MAX_AGE)) {
				Integer.parseInt(value);
			}
			this.attributes.put(name, value);
		}
	}

	@Override
	public synchronized String getAttribute(String name) {
		return this.attributes.get(name);
	}

	@Override
	public synchronized Map<String, String> getAttributes() {
		return Collections.unmodifiableMap(new TreeMap<>(this.attributes));
	}

	/**
	 * A session cookie for the id with these attributes; the path defaults to the context path,
	 * or {@code /} for the root context, as on Tomcat.
	 */
	synchronized jakarta.servlet.http.Cookie createCookie(String sessionId, String contextPath) {
		jakarta.servlet.http.Cookie cookie = new jakarta.servlet.http.Cookie(this.name, sessionId);
		this.attributes.forEach(cookie::setAttribute);
		if (cookie.getPath() == null) {
			cookie.setPath(contextPath.isEmpty() ? "/" : contextPath);
		}
		return cookie;
	}

}
