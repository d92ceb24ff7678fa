package dev.fastcgi.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A bound, listening server socket, whichever way it was obtained, and the socket file to remove
 * when it closes.
 */
final class Listener implements Closeable {

	/** The longest path a UNIX socket address holds on Linux ({@code sun_path} less its NUL). */
	private static final int MAX_UNIX_PATH_BYTES = 107;

	private final ServerSocketChannel channel;

	private final String description;

	private final Path ownedSocketFile;

	private final Object ownedSocketFileKey;

	private Listener(ServerSocketChannel channel, String description, Path ownedSocketFile) throws IOException {
		this.channel = channel;
		this.description = description;
		this.ownedSocketFile = ownedSocketFile;
		this.ownedSocketFileKey = (ownedSocketFile != null) ? fileKey(ownedSocketFile) : null;
	}

	static Listener open(ServerSettings settings) throws IOException {
		ListenAddress address = settings.getAddress();
		if (address instanceof ListenAddress.InheritedChannel) {
			ServerSocketChannel inherited = inheritedServerChannel();
			if (inherited == null) {
				throw new IOException("File descriptor 0 is not a listening socket; start the application from a web "
						+ "server (lighttpd bin-path, spawn-fcgi) or choose another socket");
			}
			SocketAddress local = inherited.getLocalAddress();
			if (local instanceof UnixDomainSocketAddress) {
				// Closing the JDK's inherited channel points stdout and stderr at /dev/null, and the
				// log of the shutdown with them; junixsocket closes fd 0 and nothing else.
				ServerSocketChannel unix = FileDescriptorCast.unsafeUsing(0).as(ServerSocketChannel.class);
				return new Listener(unix, "fd:0 (" + describe(local) + ")", null);
			}
			return new Listener(inherited, "fd:0 (" + describe(local) + ")", null);
		}
		if (address instanceof ListenAddress.Systemd) {
			ServerSocketChannel activated = systemdChannel();
			return new Listener(activated, "systemd (" + describe(activated.getLocalAddress()) + ")", null);
		}
		if (address instanceof ListenAddress.UnixSocket unix) {
			return openUnix(unix.path(), settings);
		}
		ListenAddress.Tcp tcp = (ListenAddress.Tcp) address;
		ServerSocketChannel channel = ServerSocketChannel.open();
		try {
			channel.bind(new InetSocketAddress(tcp.host(), tcp.port()), settings.getBacklog());
		}
		catch (IOException ex) {
			channel.close();
			throw new IOException("Cannot listen on " + tcp + ": " + ex.getMessage(), ex);
		}
		return new Listener(channel, describe(channel.getLocalAddress()), null);
	}

	/**
	 * The listening socket on file descriptor 0, or {@code null} when fd 0 is something else (a
	 * terminal, a pipe, a connected socket).
	 */
	static ServerSocketChannel inheritedServerChannel() throws IOException {
		Channel inherited = System.inheritedChannel();
		return (inherited instanceof ServerSocketChannel server) ? server : null;
	}

	private static ServerSocketChannel systemdChannel() throws IOException {
		String pid = System.getenv("LISTEN_PID");
		String fds = System.getenv("LISTEN_FDS");
		if (fds == null || pid == null) {
			throw new IOException("LISTEN_FDS and LISTEN_PID are not set: the application was not started by systemd "
					+ "socket activation");
		}
		if (!pid.equals(Long.toString(ProcessHandle.current().pid()))) {
			throw new IOException("LISTEN_PID is " + pid + ", not this process (" + ProcessHandle.current().pid()
					+ "): the sockets were meant for another process");
		}
		if (Integer.parseInt(fds) < 1) {
			throw new IOException("LISTEN_FDS is " + fds + ": systemd passed no socket");
		}
		return FileDescriptorCast.unsafeUsing(3).as(ServerSocketChannel.class);
	}

	private static Listener openUnix(Path path, ServerSettings settings) throws IOException {
		if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_UNIX_PATH_BYTES) {
			throw new IOException("UNIX socket path " + path + " is longer than " + MAX_UNIX_PATH_BYTES
					+ " bytes, the most a socket address holds; choose a shorter path");
		}
		Path parent = path.getParent();
		if (parent != null && !Files.isDirectory(parent)) {
			Files.createDirectories(parent);
		}
		removeStaleSocket(path);
		ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			channel.bind(UnixDomainSocketAddress.of(path), settings.getBacklog());
			applyOwnership(path, settings);
			return new Listener(channel, "unix:" + path, path);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			Files.deleteIfExists(path);
			throw ex;
		}
	}

	/**
	 * Removes a socket file left by a process that died without cleaning up, but refuses to touch
	 * one a live process still listens on, or a file that is not a socket.
	 */
	private static void removeStaleSocket(Path path) throws IOException {
		if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		if (!isSocketFile(path)) {
			throw new IOException(path + " exists and is not a socket; refusing to replace it");
		}
		try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
			throw new IOException("Another process is listening on " + path
					+ "; stop it or choose another socket path");
		}
		catch (java.net.ConnectException stale) {
			Files.delete(path);
		}
	}

	private static boolean isSocketFile(Path path) throws IOException {
		Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		return (((Integer) mode) & 0170000) == 0140000;
	}

	private static void applyOwnership(Path path, ServerSettings settings) throws IOException {
		PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
		if (settings.getSocketGroup() != null) {
			GroupPrincipal group = path.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByGroupName(settings.getSocketGroup());
			view.setGroup(group);
		}
		if (settings.getSocketPermissions() != null) {
			view.setPermissions(parsePermissions(settings.getSocketPermissions()));
		}
	}

	/**
	 * Reads {@code rw-rw----} or an octal mode such as {@code 660}.
	 * @throws IllegalArgumentException if it is neither
	 */
	static Set<PosixFilePermission> parsePermissions(String text) {
		if (text.matches("0?[0-7]{3}")) {
			int mode = Integer.parseInt(text, 8);
			StringBuilder symbolic = new StringBuilder(9);
			for (int shift = 8; shift >= 0; shift--) {
				symbolic.append(((mode >> shift) & 1) != 0 ? "rwx".charAt((8 - shift) % 3) : '-');
			}
			return PosixFilePermissions.fromString(symbolic.toString());
		}
		return PosixFilePermissions.fromString(text);
	}

	private static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
			.fileKey();
	}

	private static String describe(SocketAddress address) {
		if (address instanceof UnixDomainSocketAddress unix) {
			return "unix:" + unix.getPath();
		}
		if (address instanceof AFUNIXSocketAddress unix) {
			// junixsocket's UNIX addresses pose as InetSocketAddress
			return "unix:" + unix.getPath();
		}
		if (address instanceof InetSocketAddress inet) {
			return new ListenAddress.Tcp(inet.getAddress().getHostAddress(), inet.getPort()).toString();
		}
		return String.valueOf(address);
	}

	ServerSocketChannel channel() {
		return this.channel;
	}

	/** The TCP port listened on, or -1 for a UNIX socket. */
	int port() {
		try {
			SocketAddress local = this.channel.getLocalAddress();
			return (local instanceof InetSocketAddress inet && !(local instanceof AFUNIXSocketAddress)) ? inet.getPort()
					: -1;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	@Override
	public String toString() {
		return this.description;
	}

	/** Stops listening and removes the socket file if it is still the one this listener created. */
	@Override
	public void close() throws IOException {
		this.channel.close();
		if (this.ownedSocketFile != null && Files.exists(this.ownedSocketFile, LinkOption.NOFOLLOW_LINKS)
				&& this.ownedSocketFileKey.equals(fileKey(this.ownedSocketFile))) {
			Files.delete(this.ownedSocketFile);
		}
	}

}
