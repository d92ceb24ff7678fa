package dev.fastcgi.protocol;

/**
 * The record types of FastCGI 1.0.
 */
public enum RecordType {

	BEGIN_REQUEST(1), ABORT_REQUEST(2), END_REQUEST(3), PARAMS(4), STDIN(5), STDOUT(6), STDERR(7), DATA(8),
	GET_VALUES(9), GET_VALUES_RESULT(10), UNKNOWN_TYPE(11);

	private static final RecordType[] BY_CODE = new RecordType[12];

	static {
		for (RecordType type : values()) {
			BY_CODE[type.code] = type;
		}
	}

	private final int code;

	RecordType(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

	/** Management records travel with request id 0. */
	public boolean isManagement() {
		return this == GET_VALUES || this == GET_VALUES_RESULT || this == UNKNOWN_TYPE;
	}

	/**
	 * Returns the type with the given wire code, or {@code null} for a code FastCGI 1.0 does not
	 * define (a management record of such a type is answered with {@code FCGI_UNKNOWN_TYPE}).
	 */
	public static RecordType fromCode(int code) {
		return (code > 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
	}

}
