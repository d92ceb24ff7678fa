package dev.fastcgi.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Set;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.newsclub.net.unix.AFSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * Decides whether an accepted connection may be served: a TCP peer by its address, a UNIX socket
 * peer by the user and group it runs as (read from the kernel with {@code SO_PEERCRED}).
 */
final class ClientAccess {

	private final AllowedClients clients;

	private final Set<String> peerUsers;

	private final Set<String> peerGroups;

	ClientAccess(ServerSettings settings) {
		this.clients = settings.getAllowedClients();
		this.peerUsers = settings.getAllowedPeerUsers();
		this.peerGroups = settings.getAllowedPeerGroups();
	}

	/** Why the connection must be closed, or {@code null} when it may be served. */
	ClientRejection check(SocketChannel channel) throws IOException {
		SocketAddress remote = channel.getRemoteAddress();
		if (isInet(remote)) {
			return this.clients.allows(((InetSocketAddress) remote).getAddress()) ? null : ClientRejection.ADDRESS;
		}
		if (this.peerUsers.isEmpty() && this.peerGroups.isEmpty()) {
			return null;
		}
		return peerAllowed(channel) ? null : ClientRejection.PEER_CREDENTIALS;
	}

	/** Whether the address is an IP one; junixsocket's UNIX addresses pose as InetSocketAddress. */
	static boolean isInet(SocketAddress address) {
		return address instanceof InetSocketAddress && !(address instanceof AFSocketAddress);
	}

	private boolean peerAllowed(SocketChannel channel) throws IOException {
		if (channel instanceof AFUNIXSocketChannel unix) {
			// junixsocket gives numeric ids only
			AFUNIXSocketCredentials credentials = unix.getPeerCredentials();
			return this.peerUsers.contains(Long.toString(credentials.getUid()))
					|| this.peerGroups.contains(Long.toString(credentials.getGid()));
		}
		if (!channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
			// cannot tell who it is: refuse rather than let anyone in
			return false;
		}
		UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
		return this.peerUsers.contains(peer.user().getName()) || this.peerGroups.contains(peer.group().getName());
	}

	@Override
	public String toString() {
		return "clients " + this.clients + ", peer users " + this.peerUsers + ", peer groups " + this.peerGroups;
	}

}
