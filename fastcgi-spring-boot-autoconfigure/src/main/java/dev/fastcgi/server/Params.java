package dev.fastcgi.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The name-value pairs of a request's PARAMS stream, kept in arrival order. A name sent twice
 * (nginx sends a param set twice in its configuration twice) answers {@link #get} with the last
 * value.
 */
public final class Params {

	/** Room for what web servers send for a usual request, so that the lists do not grow while decoding. */
	private static final int USUAL_COUNT = 40;

	private final List<String> names = new ArrayList<>(USUAL_COUNT);

	private final List<String> values = new ArrayList<>(USUAL_COUNT);

	public void add(String name, String value) {
		this.names.add(name);
		this.values.add(value);
	}

	/**
	 * The last value sent for the name, or {@code null}. A scan rather than a map: a request has
	 * some 30 params and the servlet layer looks up a handful, so building a map per request costs
	 * more than it saves.
	 */
	public String get(String name) {
		for (int index = this.names.size() - 1; index >= 0; index--) {
			if (this.names.get(index).equals(name)) {
				return this.values.get(index);
			}
		}
		return null;
	}

	/** The last value sent for the name when it is not empty, else {@code null}. */
	public String getNonEmpty(String name) {
		String value = get(name);
		return (value == null || value.isEmpty()) ? null : value;
	}

	public int size() {
		return this.names.size();
	}

	public String nameAt(int index) {
		return this.names.get(index);
	}

	public String valueAt(int index) {
		return this.values.get(index);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("{");
		for (int index = 0; index < this.names.size(); index++) {
			text.append((index > 0) ? ", " : "").append(this.names.get(index)).append('=').append(this.values.get(index));
		}
		return text.append('}').toString();
	}

}
