package dev.fastcgi.bench.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.fastcgi.protocol.DecoderLimits;
import dev.fastcgi.protocol.NameValueEncoder;
import dev.fastcgi.protocol.ProtocolException;
import dev.fastcgi.protocol.RecordDecoder;
import dev.fastcgi.protocol.RecordEncoder;
import dev.fastcgi.protocol.RecordListener;
import dev.fastcgi.protocol.RecordType;
import dev.fastcgi.protocol.Role;

/**
 * Opens connections straight to an application, completes one request on each so that the server
 * has set it up as it would for the web server, and keeps them open and idle.
 */
final class IdleConnections implements AutoCloseable {

	private final List<SocketChannel> channels = new ArrayList<>();

	/** Kept-alive FastCGI connections to a UNIX socket, each after one GET /plain with KEEP_CONN. */
	static IdleConnections fastCgi(Path socket, int count) throws IOException {
		byte[] request = fastCgiRequest();
		IdleConnections connections = new IdleConnections();
		try {
			for (int i = 0; i < count; i++) {
				SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
				connections.channels.add(channel);
				channel.connect(UnixDomainSocketAddress.of(socket));
				writeFully(channel, request);
				awaitEndRequest(channel);
			}
		}
		catch (IOException | RuntimeException ex) {
			connections.close();
			throw ex;
		}
		return connections;
	}

	/** Kept-alive HTTP/1.1 connections, each after one GET /plain. */
	static IdleConnections http(int port, int count) throws IOException {
		byte[] request = "GET /plain HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		SocketAddress address = new InetSocketAddress("127.0.0.1", port);
		IdleConnections connections = new IdleConnections();
		try {
			for (int i = 0; i < count; i++) {
				SocketChannel channel = SocketChannel.open(address);
				connections.channels.add(channel);
				writeFully(channel, request);
				awaitHttpResponse(channel);
			}
		}
		catch (IOException | RuntimeException ex) {
			connections.close();
			throw ex;
		}
		return connections;
	}

	int size() {
		return this.channels.size();
	}

	@Override
	public void close() {
		for (SocketChannel channel : this.channels) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		this.channels.clear();
	}

	private static byte[] fastCgiRequest() {
		NameValueEncoder params = new NameValueEncoder().add("REQUEST_METHOD", "GET")
			.add("REQUEST_URI", "/plain")
			.add("SCRIPT_NAME", "/plain")
			.add("DOCUMENT_URI", "/plain")
			.add("QUERY_STRING", "")
			.add("SERVER_PROTOCOL", "HTTP/1.1")
			.add("GATEWAY_INTERFACE", "CGI/1.1")
			.add("REQUEST_SCHEME", "http")
			.add("SERVER_NAME", "localhost")
			.add("SERVER_PORT", "80")
			.add("SERVER_ADDR", "127.0.0.1")
			.add("REMOTE_ADDR", "127.0.0.1")
			.add("REMOTE_PORT", "40000")
			.add("HTTP_HOST", "localhost");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(RecordEncoder.beginRequest(1, Role.RESPONDER, true));
		out.writeBytes(RecordEncoder.records(RecordType.PARAMS, 1, params.toByteArray()));
		out.writeBytes(RecordEncoder.streamEnd(RecordType.PARAMS, 1));
		out.writeBytes(RecordEncoder.streamEnd(RecordType.STDIN, 1));
		return out.toByteArray();
	}

	private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	private static void awaitEndRequest(SocketChannel channel) throws IOException {
		boolean[] ended = new boolean[1];
		RecordDecoder decoder = new RecordDecoder(DecoderLimits.DEFAULTS, new RecordListener() {

			@Override
			public void onEndRequest(int requestId, long appStatus, int protocolStatusCode) {
				ended[0] = true;
			}

		});
		ByteBuffer buffer = ByteBuffer.allocate(8192);
		while (!ended[0]) {
			buffer.clear();
			if (channel.read(buffer) < 0) {
				throw new IOException("The application closed a kept-alive connection");
			}
			buffer.flip();
			try {
				decoder.decode(buffer);
			}
			catch (ProtocolException ex) {
				throw new IOException(ex);
			}
		}
	}

	private static void awaitHttpResponse(SocketChannel channel) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		ByteBuffer buffer = ByteBuffer.allocate(8192);
		while (true) {
			buffer.clear();
			if (channel.read(buffer) < 0) {
				throw new IOException("The application closed a kept-alive connection");
			}
			received.write(buffer.array(), 0, buffer.position());
			String text = received.toString(StandardCharsets.ISO_8859_1);
			int headerEnd = text.indexOf("\r\n\r\n");
			if (headerEnd < 0) {
				continue;
			}
			int length = 0;
			for (String line : text.substring(0, headerEnd).split("\r\n")) {
				if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
					length = Integer.parseInt(line.substring(15).trim());
				}
			}
			if (text.length() >= headerEnd + 4 + length) {
				return;
			}
		}
	}

}
