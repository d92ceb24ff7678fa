package dev.fastcgi.sample.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The IPv4 TCP connections of this machine to a local port, read from {@code /proc/net/tcp},
 * to see how many connections a web server opened to an application.
 */
final class TcpConnections {

	private static final String LISTEN = "0A";

	private TcpConnections() {
	}

	/**
	 * The client-side ports of the connections to {@code port} that exist now or closed
	 * recently (still in TIME_WAIT on either side).
	 */
	static Set<Integer> clientPortsConnectedTo(int port) {
		List<String> lines;
		try {
			lines = Files.readAllLines(Path.of("/proc/net/tcp"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Set<Integer> clientPorts = new HashSet<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] fields = line.trim().split("\\s+");
			int localPort = portOf(fields[1]);
			int remotePort = portOf(fields[2]);
			if (fields[3].equals(LISTEN)) {
				continue;
			}
			if (localPort == port) {
				clientPorts.add(remotePort);
			}
			else if (remotePort == port) {
				clientPorts.add(localPort);
			}
		}
		return clientPorts;
	}

	private static int portOf(String hexAddress) {
		return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
	}

}
