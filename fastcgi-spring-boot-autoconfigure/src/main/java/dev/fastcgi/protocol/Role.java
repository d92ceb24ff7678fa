package dev.fastcgi.protocol;

/**
 * The role a web server asks the application to play in {@code FCGI_BEGIN_REQUEST}.
 */
public enum Role {

	RESPONDER(1), AUTHORIZER(2), FILTER(3);

	private final int code;

	Role(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

	/**
	 * Returns the role with the given wire code, or {@code null} for a code FastCGI 1.0 does not
	 * define (answered with {@link ProtocolStatus#UNKNOWN_ROLE}).
	 */
	public static Role fromCode(int code) {
		return switch (code) {
			case 1 -> RESPONDER;
			case 2 -> AUTHORIZER;
			case 3 -> FILTER;
			default -> null;
		};
	}

}
