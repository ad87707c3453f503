package io.redispatterns.writebehind;

import java.util.Collections;
import java.util.Map;

/**
 * A batch handed to a {@link WriteBehindFlush @WriteBehindFlush} method.
 * @param <T> the value type
 */
public final class WriteBehindBatch<T> {

	private final String buffer;

	private final String id;

	private final int attempt;

	private final Map<String, T> items;

	/**
	 * Creates a batch.
	 * @param buffer the buffer's name
	 * @param id the batch id
	 * @param attempt which flush of this batch this is, from 1
	 * @param items the coalesced values by key
	 */
	public WriteBehindBatch(String buffer, String id, int attempt, Map<String, T> items) {
		this.buffer = buffer;
		this.id = id;
		this.attempt = attempt;
		this.items = Collections.unmodifiableMap(items);
	}

	/**
	 * Returns the buffer's name.
	 * @return the buffer
	 */
	public String buffer() {
		return this.buffer;
	}

	/**
	 * Returns the batch id: random, unique, and the same every time this batch is flushed again (after
	 * a failure or a crash), so a flush that records it with the data can skip a batch it already
	 * persisted.
	 * @return the batch id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Returns which flush of this batch this is: 1 the first time, more when it is flushed again.
	 * @return the attempt
	 */
	public int attempt() {
		return this.attempt;
	}

	/**
	 * Returns the coalesced values by key: the last value written, or the sum for counters.
	 * @return the items (unmodifiable)
	 */
	public Map<String, T> items() {
		return this.items;
	}

	/**
	 * Returns how many keys the batch holds.
	 * @return the size
	 */
	public int size() {
		return this.items.size();
	}

	@Override
	public String toString() {
		return "WriteBehindBatch[buffer=" + this.buffer + ", id=" + this.id + ", attempt=" + this.attempt + ", size="
				+ this.items.size() + "]";
	}

}
