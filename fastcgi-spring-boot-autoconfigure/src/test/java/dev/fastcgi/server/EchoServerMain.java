package dev.fastcgi.server;

/**
 * A child JVM for tests that need the server started the way a web server starts it: with the
 * listening socket inherited on fd 0 (spawn-fcgi, lighttpd) or passed by systemd.
 */
public final class EchoServerMain {

	private EchoServerMain() {
	}

	public static void main(String[] args) throws Exception {
		ServerSettings settings = new ServerSettings().setAddress(ListenAddress.parse(args[0]));
		FastCgiServer server = new FastCgiServer(settings, CgiFcgiConformanceTest::echo,
				ServerThreads.create(false, 16), ServerListener.NONE);
		server.start();
		System.out.println("listening on " + server.getDescription());
	}

}
