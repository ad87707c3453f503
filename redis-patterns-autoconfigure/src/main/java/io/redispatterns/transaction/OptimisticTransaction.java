package io.redispatterns.transaction;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One attempt of an optimistic transaction: reads run at once on the watching connection; writes
 * are queued and sent between {@code MULTI} and {@code EXEC} after the callback returns (so a
 * write's result is not visible to later reads of the same attempt).
 */
public interface OptimisticTransaction {

	/**
	 * Returns the attempt number, starting at 1.
	 * @return the attempt
	 */
	int attempt();

	/**
	 * Reads a string value ({@code GET}).
	 * @param key the key
	 * @return the value, or {@code null}
	 */
	@Nullable String get(String key);

	/**
	 * Reads a hash field ({@code HGET}).
	 * @param key the key
	 * @param field the field
	 * @return the value, or {@code null}
	 */
	@Nullable String hget(String key, String field);

	/**
	 * Reads a whole hash ({@code HGETALL}).
	 * @param key the key
	 * @return the fields, empty when the key does not exist
	 */
	Map<String, String> hgetall(String key);

	/**
	 * Queues {@code SET}.
	 * @param key the key
	 * @param value the value
	 */
	void set(String key, String value);

	/**
	 * Queues {@code SET ... PX}.
	 * @param key the key
	 * @param value the value
	 * @param ttl the time to live
	 */
	void set(String key, String value, Duration ttl);

	/**
	 * Queues {@code DEL}.
	 * @param key the key
	 */
	void delete(String key);

	/**
	 * Queues {@code INCRBY}.
	 * @param key the key
	 * @param delta the amount
	 */
	void incrBy(String key, long delta);

	/**
	 * Queues {@code HSET} of one field.
	 * @param key the key
	 * @param field the field
	 * @param value the value
	 */
	void hset(String key, String field, String value);

	/**
	 * Queues {@code HDEL}.
	 * @param key the key
	 * @param field the field
	 */
	void hdel(String key, String field);

	/**
	 * Queues {@code PEXPIRE}.
	 * @param key the key
	 * @param ttl the time to live
	 */
	void expire(String key, Duration ttl);

}
