package dev.fastcgi.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.fastcgi.protocol.RecentStrings;

/**
 * The name-value pairs of a request's PARAMS stream, kept in arrival order. A name sent twice
 * (nginx sends a param set twice in its configuration twice) answers {@link #get} with the last
 * value. Values received as bytes become strings when first asked for: a request reads a handful
 * of its thirty params. Safe to read from several threads once the params are complete (two
 * threads may each make the same string).
 */
public final class Params {

	/** Room for what web servers send for a usual request, so that the arrays do not grow while decoding. */
	private static final int USUAL_COUNT = 32;

	private final RecentStrings recentStrings;

	private String[] names = new String[USUAL_COUNT];

	/** A value added as a string, or made from its bytes when asked for; {@code null} until then. */
	private String[] values = new String[USUAL_COUNT];

	private int[] valueOffsets = new int[USUAL_COUNT];

	private int[] valueLengths = new int[USUAL_COUNT];

	private byte[] valueBytes;

	private int valueBytesUsed;

	private int size;

	/**
	 * Where the last pair of each name is, by the name's hash (open addressing, a power of two
	 * in length, as {@link #USUAL_COUNT} is, and at most half full): pair index + 1, 0 for a free
	 * slot. The servlet layer looks up some fifteen names a
	 * request among thirty, and a scan comparing strings cost more than decoding them all.
	 */
	private int[] lastIndexes = new int[USUAL_COUNT * 2];

	public Params() {
		this(null);
	}

	/** @param recentStrings where values that repeat are looked up, or {@code null} for a new string each */
	public Params(RecentStrings recentStrings) {
		this.recentStrings = recentStrings;
	}

	public void add(String name, String value) {
		int index = append(name);
		this.values[index] = value;
		this.valueLengths[index] = value.length();
	}

	/** Adds a pair whose value is ISO-8859-1 bytes, copied here: the caller may reuse its array. */
	public void add(String name, byte[] value, int offset, int length) {
		int index = append(name);
		reserve(length);
		System.arraycopy(value, offset, this.valueBytes, this.valueBytesUsed, length);
		this.valueOffsets[index] = this.valueBytesUsed;
		this.valueLengths[index] = length;
		this.valueBytesUsed += length;
	}

	/** Makes room for this many more bytes of values, ahead of the pairs that bring them. */
	public void reserve(int moreValueBytes) {
		if (this.valueBytes == null) {
			this.valueBytes = new byte[moreValueBytes];
		}
		else if (this.valueBytesUsed + moreValueBytes > this.valueBytes.length) {
			this.valueBytes = Arrays.copyOf(this.valueBytes,
					Math.max(this.valueBytes.length * 2, this.valueBytesUsed + moreValueBytes));
		}
	}

	private int append(String name) {
		if (this.size == this.names.length) {
			int length = this.size * 2;
			this.names = Arrays.copyOf(this.names, length);
			this.values = Arrays.copyOf(this.values, length);
			this.valueOffsets = Arrays.copyOf(this.valueOffsets, length);
			this.valueLengths = Arrays.copyOf(this.valueLengths, length);
		}
		this.names[this.size] = name;
		int index = this.size++;
		if (this.size * 2 > this.lastIndexes.length) {
			this.lastIndexes = new int[this.lastIndexes.length * 2];
			for (int earlier = 0; earlier < this.size; earlier++) {
				remember(earlier);
			}
		}
		else {
			remember(index);
		}
		return index;
	}

	/** Records the pair as the last of its name, in place of an earlier one of the same name. */
	private void remember(int index) {
		String name = this.names[index];
		int mask = this.lastIndexes.length - 1;
		int slot = firstSlot(name, mask);
		while (this.lastIndexes[slot] != 0 && !this.names[this.lastIndexes[slot] - 1].equals(name)) {
			slot = (slot + 1) & mask;
		}
		this.lastIndexes[slot] = index + 1;
	}

	private static int firstSlot(String name, int mask) {
		int hash = name.hashCode();
		return (hash ^ (hash >>> 16)) & mask;
	}

	/** The last value sent for the name, or {@code null}. */
	public String get(String name) {
		int index = lastIndexOf(name);
		return (index >= 0) ? valueAt(index) : null;
	}

	/** The last value sent for the name when it is not empty, else {@code null}. */
	public String getNonEmpty(String name) {
		int index = lastIndexOf(name);
		return (index >= 0 && this.valueLengths[index] > 0) ? valueAt(index) : null;
	}

	/** Where the last pair of the name is, or -1. */
	public int lastIndexOf(String name) {
		int mask = this.lastIndexes.length - 1;
		for (int slot = firstSlot(name, mask); this.lastIndexes[slot] != 0; slot = (slot + 1) & mask) {
			int index = this.lastIndexes[slot] - 1;
			if (this.names[index].equals(name)) {
				return index;
			}
		}
		return -1;
	}

	public int size() {
		return this.size;
	}

	public String nameAt(int index) {
		checkIndex(index);
		return this.names[index];
	}

	public String valueAt(int index) {
		checkIndex(index);
		String value = this.values[index];
		if (value == null) {
			value = decode(this.valueOffsets[index], this.valueLengths[index]);
			this.values[index] = value;
		}
		return value;
	}

	/** Whether the value at the index is the empty string, without making a string of it. */
	public boolean isEmptyAt(int index) {
		checkIndex(index);
		return this.valueLengths[index] == 0;
	}

	private String decode(int offset, int length) {
		return (this.recentStrings != null) ? this.recentStrings.decode(this.valueBytes, offset, length)
				: new String(this.valueBytes, offset, length, StandardCharsets.ISO_8859_1);
	}

	private void checkIndex(int index) {
		if (index < 0 || index >= this.size) {
			throw new IndexOutOfBoundsException("Index " + index + " out of bounds for " + this.size + " params");
		}
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("{");
		for (int index = 0; index < this.size; index++) {
			text.append((index > 0) ? ", " : "").append(this.names[index]).append('=').append(valueAt(index));
		}
		return text.append('}').toString();
	}

}
