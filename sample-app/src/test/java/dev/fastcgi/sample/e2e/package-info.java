/**
 * End-to-end test support: the sample application behind real nginx, lighttpd and Apache.
 * <ul>
 * <li>{@link dev.fastcgi.sample.e2e.WebServerProcess}: a web server in the foreground with a
 * generated config in a fresh directory, on a free loopback port; closed, it stops every
 * process it started and deletes the directory. {@link dev.fastcgi.sample.e2e.WebServerKind}
 * runs the same test behind each server.</li>
 * <li>{@link dev.fastcgi.sample.e2e.FastCgiRoutes}: the config fragments that route a prefix
 * to a {@link dev.fastcgi.sample.e2e.FastCgiAddress} (UNIX socket or TCP port):
 * {@code fastcgi_pass}, {@code fastcgi.server} (also spawning with {@code bin-path}),
 * {@code ProxyPass} with mod_proxy_fcgi.</li>
 * <li>{@link dev.fastcgi.sample.e2e.SampleAppProcess}: the application as a child JVM;
 * {@link dev.fastcgi.sample.e2e.SampleAppScript}: the wrapper script for programs that spawn
 * it with the listening socket on descriptor 0.</li>
 * <li>{@link dev.fastcgi.sample.e2e.E2eHttp} for ordinary requests,
 * {@link dev.fastcgi.sample.e2e.RawHttpConnection} for raw targets, chunked uploads, streamed
 * responses ({@link dev.fastcgi.sample.e2e.ServerSentEventReader}) and clients that leave.</li>
 * </ul>
 * Test classes are named {@code *IT} and run under failsafe in {@code ./mvnw verify}. A missing
 * server program skips a test, or fails it when {@code CI=true}
 * ({@link dev.fastcgi.sample.e2e.Executables}).
 */
package dev.fastcgi.sample.e2e;
