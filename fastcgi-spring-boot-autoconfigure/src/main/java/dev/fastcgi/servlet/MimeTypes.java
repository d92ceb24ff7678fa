package dev.fastcgi.servlet;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Media types by file extension: the web's common types, the context's own mappings, then the
 * JDK's table.
 */
final class MimeTypes {

	private static final Map<String, String> COMMON = Map.ofEntries(Map.entry("html", "text/html"),
			Map.entry("htm", "text/html"), Map.entry("css", "text/css"), Map.entry("js", "text/javascript"),
			Map.entry("mjs", "text/javascript"), Map.entry("json", "application/json"),
			Map.entry("map", "application/json"), Map.entry("xml", "application/xml"),
			Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("svg", "image/svg+xml"),
			Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
			Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"),
			Map.entry("ico", "image/vnd.microsoft.icon"), Map.entry("woff", "font/woff"),
			Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"), Map.entry("otf", "font/otf"),
			Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"),
			Map.entry("gz", "application/gzip"), Map.entry("wasm", "application/wasm"),
			Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"),
			Map.entry("ogg", "audio/ogg"), Map.entry("wav", "audio/wav"));

	private final Map<String, String> custom = new ConcurrentHashMap<>();

	void add(String extension, String mimeType) {
		this.custom.put(extension.toLowerCase(Locale.ROOT), mimeType);
	}

	/** The type of a file name or path, or {@code null} when its extension is unknown. */
	String forFileName(String fileName) {
		int dot = fileName.lastIndexOf('.');
		if (dot < 0 || dot < fileName.lastIndexOf('/')) {
			return null;
		}
		String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
		String type = this.custom.get(extension);
		if (type == null) {
			type = COMMON.get(extension);
		}
		return (type != null) ? type : URLConnection.guessContentTypeFromName(fileName);
	}

}
