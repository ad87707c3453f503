package io.redispatterns.cache;

import java.util.concurrent.Callable;

import io.redispatterns.core.RedisUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * Updates the database and a cache entry together (write-through), so that the cache is never newer
 * than the database and never keeps a stale value when writers race.
 * <pre class="code">
 * Product saved = writeThrough.write("products", id, () -&gt; repository.save(product));
 * writeThrough.write("products", id, product, repository::save);
 * </pre>
 * How: the writer takes the key's <em>loader lock</em> — the same per-key lock under which
 * {@code getOrLoad}, {@code @CachedWithLock} and {@code @Cacheable(sync = true)} load — and deletes
 * the entry in one script; runs the database write while renewing the lock; then stores the new entry
 * only if it still holds the lock, and releases it (another script). So:
 * <ul>
 * <li>writers of one key take turns (across instances): the cache is written in the order the
 * database was, and the last writer's value stays;</li>
 * <li>a load running meanwhile waits for the lock, or, if it held the lock first, finishes before the
 * write starts; a load that took over after this writer's lease ran out has its result dropped and the
 * key invalidated;</li>
 * <li>when the database write throws, nothing is stored and the old entry is gone: the next read loads
 * what the database holds;</li>
 * <li>when the writer dies after its database write, the entry is already deleted: a miss, not the old
 * value.</li>
 * </ul>
 * This is a lock plus a fenced write, not a version check: a version needs the database to hand out a
 * monotonic version with every write, and plain invalidate-after-write leaves a reader that loaded the
 * old row just before the write free to store it just after. {@code put} and {@code @CachePut} bypass
 * the lock and are not covered.
 * <p>
 * Fail-closed: when the lock cannot be taken (Redis unreachable, or another writer or loader holds it
 * for longer than the cache's {@code wait-for}) the database write does not run and
 * {@link RedisUnavailableException} (or {@link CacheLockTimeoutException}) is thrown — safe to retry.
 * A Redis failure after the database write is logged and counted, never thrown: the database has the
 * value, the entry stays deleted (or expires with its lock's lease).
 */
public interface CacheWriteThrough {

	/**
	 * Writes a value to the database, then to the cache.
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param key the key
	 * @param value the value, cached when the database write returns
	 * @param writer writes the value to the database; its exception is rethrown (checked ones wrapped
	 * in {@link CacheLoaderException}) and nothing is cached
	 * @return the value
	 */
	<T> @Nullable T write(String cache, Object key, @Nullable T value, DatabaseWrite<? super T> writer);

	/**
	 * Runs a database write and caches what it returns (the row as saved, with generated fields).
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param key the key
	 * @param writer writes to the database and returns the value to cache; its exception is rethrown
	 * (checked ones wrapped in {@link CacheLoaderException}) and nothing is cached
	 * @return what the writer returned
	 * @throws RedisUnavailableException when the key's lock could not be taken because of Redis; the
	 * writer did not run
	 * @throws CacheLockTimeoutException when another writer or loader held the key's lock for longer than
	 * the cache's lock wait; the writer did not run
	 */
	<T> @Nullable T write(String cache, Object key, Callable<? extends @Nullable T> writer);

	/**
	 * Writes a value to the database.
	 * @param <T> the value type
	 */
	@FunctionalInterface
	interface DatabaseWrite<T> {

		/**
		 * Writes the value.
		 * @param value the value
		 * @throws Exception when the write failed; nothing is cached then
		 */
		void write(@Nullable T value) throws Exception;

	}

}
