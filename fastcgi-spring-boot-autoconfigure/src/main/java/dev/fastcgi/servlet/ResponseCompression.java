package dev.fastcgi.servlet;

import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Which responses go out gzip-compressed ({@code server.compression.*}), decided as Tomcat
 * decides at the commit: a response whose content type starts with one of the compressible
 * types, whose length is unknown or at least the minimum, that is not encoded already and has no
 * strong {@code ETag} {@linkplain #isCompressible is compressible} and so varies by
 * {@code Accept-Encoding}; it is compressed when the client lists {@code gzip} in
 * {@code Accept-Encoding} and its {@code User-Agent} matches none of the excluded patterns.
 */
public final class ResponseCompression {

	private final List<String> mimeTypes;

	private final long minResponseSize;

	private final List<Pattern> excludedUserAgents;

	/**
	 * @param mimeTypes content types compressed, matched as prefixes of the response's
	 * {@code Content-Type} (so {@code text/html} covers {@code text/html;charset=UTF-8})
	 * @param minResponseSize responses of a known length below this are sent as they are
	 * @param excludedUserAgents regular expressions; a client whose whole {@code User-Agent}
	 * matches one gets no compressed response
	 */
	public ResponseCompression(List<String> mimeTypes, long minResponseSize, List<String> excludedUserAgents) {
		this.mimeTypes = List.copyOf(mimeTypes);
		this.minResponseSize = minResponseSize;
		this.excludedUserAgents = excludedUserAgents.stream().map(Pattern::compile).toList();
	}

	/** Whether a response with these properties would be compressed for a client that accepts it. */
	boolean isCompressible(String contentType, long contentLength, String contentEncoding, String eTag) {
		if (contentEncoding != null && !contentEncoding.trim().equalsIgnoreCase("identity")) {
			return false;
		}
		if (contentLength >= 0 && contentLength < this.minResponseSize) {
			return false;
		}
		if (contentType == null || this.mimeTypes.stream().noneMatch(contentType::startsWith)) {
			return false;
		}
		return eTag == null || eTag.trim().startsWith("W/");
	}

	/** Whether the client takes gzip: it is listed in {@code Accept-Encoding} and the agent is not excluded. */
	boolean isAcceptedBy(HttpServletRequest request) {
		if (!acceptsGzip(request.getHeaders("Accept-Encoding"))) {
			return false;
		}
		String userAgent = request.getHeader("User-Agent");
		return userAgent == null || this.excludedUserAgents.stream().noneMatch((excluded) -> excluded.matcher(userAgent).matches());
	}

	/**
	 * Whether a coding of the header values is {@code gzip}. An explicit {@code q=0} refuses it
	 * (RFC 9110 12.5.3), where Tomcat ignores weights; {@code *} is not taken for gzip, as on Tomcat.
	 */
	private static boolean acceptsGzip(Enumeration<String> values) {
		while (values.hasMoreElements()) {
			for (String coding : values.nextElement().split(",")) {
				String[] parts = coding.split(";");
				if (parts[0].trim().equalsIgnoreCase("gzip") && !refused(parts)) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean refused(String[] codingAndParameters) {
		for (int i = 1; i < codingAndParameters.length; i++) {
			String parameter = codingAndParameters[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
			if (parameter.startsWith("q=")) {
				return parameter.substring(2).matches("0(\\.0{0,3})?");
			}
		}
		return false;
	}

}
