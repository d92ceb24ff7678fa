package dev.fastcgi.protocol;

/**
 * The protocol status carried by {@code FCGI_END_REQUEST}.
 */
public enum ProtocolStatus {

	REQUEST_COMPLETE(0), CANT_MPX_CONN(1), OVERLOADED(2), UNKNOWN_ROLE(3);

	private final int code;

	ProtocolStatus(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

}
