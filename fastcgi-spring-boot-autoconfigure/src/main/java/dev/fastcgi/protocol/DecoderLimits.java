package dev.fastcgi.protocol;

/**
 * Bounds the decoder enforces before it allocates anything, so that a hostile or broken peer
 * cannot make it hold more memory than these allow.
 *
 * @param maxParamsBytes most bytes of one request's PARAMS stream (names, values and lengths)
 * @param maxParamCount most name-value pairs in one request
 * @param maxNameLength most bytes in one param name
 * @param maxValueLength most bytes in one param value
 * @param maxControlContent most content bytes of a record the decoder must hold whole (begin,
 * abort, end, management records)
 */
public record DecoderLimits(int maxParamsBytes, int maxParamCount, int maxNameLength, int maxValueLength,
		int maxControlContent) {

	/**
	 * Generous for real traffic: nginx and lighttpd send every request header as a param, tens of
	 * KB for requests with large cookies.
	 */
	public static final DecoderLimits DEFAULTS = new DecoderLimits(1024 * 1024, 2000, 8192, 256 * 1024, 8192);

	public DecoderLimits {
		requirePositive(maxParamsBytes, "maxParamsBytes");
		requirePositive(maxParamCount, "maxParamCount");
		requirePositive(maxNameLength, "maxNameLength");
		requirePositive(maxValueLength, "maxValueLength");
		if (maxControlContent < 8) {
			throw new IllegalArgumentException("maxControlContent must be at least 8 but was " + maxControlContent);
		}
	}

	private static void requirePositive(int value, String name) {
		if (value < 1) {
			throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
		}
	}

}
