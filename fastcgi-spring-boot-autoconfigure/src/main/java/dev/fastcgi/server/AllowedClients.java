package dev.fastcgi.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The addresses TCP connections may come from: IPv4 and IPv6 addresses and CIDR blocks. An
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}), on either side, is taken as the IPv4
 * address it carries, so a dual-stack listener matches IPv4 entries.
 */
public final class AllowedClients {

	/** No restriction. */
	public static final AllowedClients ANY = new AllowedClients(List.of());

	private static final byte[] IPV4_MAPPED_PREFIX = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF };

	private final List<Block> blocks;

	private AllowedClients(List<Block> blocks) {
		this.blocks = blocks;
	}

	/**
	 * Reads entries such as {@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1} or
	 * {@code fd00::/8}; blank entries are skipped, and no entries at all allow any client.
	 * @throws IllegalArgumentException for an entry that is not an address literal or CIDR block
	 * (host names are refused: resolving them would make access depend on DNS)
	 */
	public static AllowedClients parse(Collection<String> entries) {
		List<Block> blocks = new ArrayList<>();
		for (String entry : entries) {
			if (entry != null && !entry.isBlank()) {
				blocks.add(Block.parse(entry.trim()));
			}
		}
		return blocks.isEmpty() ? ANY : new AllowedClients(List.copyOf(blocks));
	}

	/**
	 * The clients {@code FCGI_WEB_SERVER_ADDRS} lists (comma-separated, as libfcgi reads it), or
	 * any client when it is unset or empty.
	 */
	public static AllowedClients fromWebServerAddrs(String value) {
		return (value != null) ? parse(Arrays.asList(value.split(","))) : ANY;
	}

	/** Whether only some clients are allowed. */
	public boolean isRestricted() {
		return !this.blocks.isEmpty();
	}

	public boolean allows(InetAddress address) {
		if (this.blocks.isEmpty()) {
			return true;
		}
		byte[] bytes = unmapped(address.getAddress());
		for (Block block : this.blocks) {
			if (block.contains(bytes)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return this.blocks.isEmpty() ? "any" : this.blocks.toString();
	}

	/** The 4 bytes of an IPv4-mapped IPv6 address, other addresses as they are. */
	private static byte[] unmapped(byte[] address) {
		if (address.length == 16 && Arrays.equals(address, 0, 12, IPV4_MAPPED_PREFIX, 0, 12)) {
			return Arrays.copyOfRange(address, 12, 16);
		}
		return address;
	}

	private record Block(byte[] network, int prefixLength, String text) {

		static Block parse(String entry) {
			int slash = entry.indexOf('/');
			String literal = (slash >= 0) ? entry.substring(0, slash) : entry;
			boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
			boolean ipv6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]+");
			if (!ipv4 && !ipv6) {
				throw invalid(entry);
			}
			byte[] network = unmapped(literalAddress(literal, entry));
			// a mapped block such as ::ffff:10.0.0.0/104 counts its prefix over all 128 bits
			int prefix = network.length * 8;
			if (slash >= 0) {
				try {
					prefix = Integer.parseInt(entry.substring(slash + 1)) - ((ipv6 ? 128 : 32) - network.length * 8);
				}
				catch (NumberFormatException ex) {
					throw invalid(entry);
				}
				if (prefix < 0 || prefix > network.length * 8) {
					throw invalid(entry);
				}
			}
			return new Block(network, prefix, entry);
		}

		private static byte[] literalAddress(String literal, String entry) {
			try {
				// a literal, so no name is looked up
				return InetAddress.getByName(literal).getAddress();
			}
			catch (UnknownHostException ex) {
				throw invalid(entry);
			}
		}

		private static IllegalArgumentException invalid(String entry) {
			return new IllegalArgumentException(
					"'" + entry + "' is not an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8");
		}

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int fullBytes = this.prefixLength / 8;
			if (!Arrays.equals(address, 0, fullBytes, this.network, 0, fullBytes)) {
				return false;
			}
			int remainingBits = this.prefixLength % 8;
			if (remainingBits == 0) {
				return true;
			}
			int mask = (0xFF << (8 - remainingBits)) & 0xFF;
			return (address[fullBytes] & mask) == (this.network[fullBytes] & mask);
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

}
