package dev.fastcgi.protocol;

/**
 * A record stream that breaks FastCGI 1.0 or one of the configured {@link DecoderLimits}. The
 * connection it came on cannot be trusted any further.
 */
public class ProtocolException extends Exception {

	private final ProtocolError error;

	public ProtocolException(ProtocolError error, String message) {
		super(message);
		this.error = error;
	}

	public ProtocolError error() {
		return this.error;
	}

}
