package dev.fastcgi.protocol;

/**
 * What was wrong with a record stream; each kind is counted and logged on its own.
 */
public enum ProtocolError {

	/** A record header's version byte is not 1. */
	UNSUPPORTED_VERSION,

	/** A fixed-size record body (BEGIN_REQUEST, END_REQUEST) has the wrong length. */
	MALFORMED_RECORD,

	/** The stream ended inside a record or inside a name-value pair. */
	TRUNCATED,

	/** A request's params add up to more bytes than allowed. */
	PARAMS_TOO_LARGE,

	/** A request sent more params than allowed. */
	TOO_MANY_PARAMS,

	/** One param name is longer than allowed. */
	NAME_TOO_LONG,

	/** One param value is longer than allowed. */
	VALUE_TOO_LONG,

	/** A management or control record's body is longer than allowed. */
	CONTROL_RECORD_TOO_LARGE

}
