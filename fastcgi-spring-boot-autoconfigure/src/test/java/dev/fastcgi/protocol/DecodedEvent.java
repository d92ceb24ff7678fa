package dev.fastcgi.protocol;

import java.util.List;

/**
 * What a {@link RecordDecoder} reported, in a form that compares by value. Stream content is
 * kept as ISO-8859-1 text (one char per byte) so that large contents still compare cheaply.
 */
public sealed interface DecodedEvent {

	record Begin(int requestId, int roleCode, boolean keepConnection) implements DecodedEvent {
	}

	record Abort(int requestId) implements DecodedEvent {
	}

	/** Consecutive content of one stream, however many records and reads it came in. */
	record Content(RecordType type, int requestId, String content) implements DecodedEvent {
	}

	record StreamEnd(RecordType type, int requestId) implements DecodedEvent {
	}

	record End(int requestId, long appStatus, int protocolStatusCode) implements DecodedEvent {
	}

	record Management(RecordType type, int typeCode, String content) implements DecodedEvent {
	}

	/** A whole PARAMS stream decoded into its pairs, reported when its empty record arrives. */
	record Params(int requestId, List<Pair> pairs) implements DecodedEvent {
	}

	record Pair(String name, String value) {
	}

}
