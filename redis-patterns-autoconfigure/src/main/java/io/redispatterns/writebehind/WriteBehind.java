package io.redispatterns.writebehind;

/**
 * A write-behind buffer: writes land in Redis at once (one script, one round trip) and are persisted
 * later, in batches, by the buffer's {@link WriteBehindFlush @WriteBehindFlush} method. Writes are
 * coalesced by key until their batch is formed: {@link #write} keeps the last value,
 * {@link #increment} sums (a counter). The buffer lives in Redis, so writes survive a restart of the
 * application; they are lost only with Redis' own data (persistence and replication are Redis'
 * settings).
 * <pre class="code">
 * WriteBehind&lt;Long&gt; views = writeBehinds.buffer("page-views", Long.class);
 * views.increment("product:" + id, 1);
 * </pre>
 * Every write is replay-safe: it carries an operation id, so a command that Lettuce re-sends after a
 * lost reply is applied once.
 * @param <T> the type of the buffered values
 */
public interface WriteBehind<T> {

	/**
	 * Returns the buffer's name.
	 * @return the name, as in {@link WriteBehindFlush#buffer()}
	 */
	String name();

	/**
	 * Buffers a value for a key; a value of the key still pending is replaced (last value wins).
	 * @param key the key, such as a row id
	 * @param value the value, stored as JSON
	 * @throws WriteBehindFullException when the buffer is full (and, with {@code when-full: block},
	 * stayed full for the block timeout)
	 * @throws io.redispatterns.core.RedisUnavailableException when Redis cannot be reached: nothing was
	 * buffered
	 * @throws io.redispatterns.core.RedisOutcomeUnknownException when Redis did not answer: the write
	 * may have been buffered; writing again is safe for {@code write} (last value wins), not for
	 * {@code increment}
	 */
	void write(String key, T value);

	/**
	 * Adds to the counter of a key; a pending count of the key is summed with it.
	 * @param key the key, such as a product id
	 * @param delta the amount to add (may be negative)
	 * @throws WriteBehindFullException when the buffer is full
	 * @throws IllegalArgumentException when the key's pending value is not an integer (it was written
	 * with {@link #write})
	 * @throws io.redispatterns.core.RedisUnavailableException when Redis cannot be reached
	 * @throws io.redispatterns.core.RedisOutcomeUnknownException when Redis did not answer
	 */
	void increment(String key, long delta);

	/**
	 * Returns the keys waiting to be persisted: pending plus the batch in flight.
	 * @return the backlog
	 */
	long backlog();

}
