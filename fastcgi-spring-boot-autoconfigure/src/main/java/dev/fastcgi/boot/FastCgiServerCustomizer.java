package dev.fastcgi.boot;

import dev.fastcgi.server.ServerSettings;

/**
 * Customizes the FastCGI server's settings beyond what {@code fastcgi.*} properties offer. Beans
 * of this type are applied in order before the server starts.
 */
@FunctionalInterface
public interface FastCgiServerCustomizer {

	void customize(ServerSettings settings);

}
