package io.redispatterns.cache;

import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * Programmatic access to the Redis caches, usable without annotations.
 * <pre>{@code
 * List<Product> page = caches.getOrLoad("catalog", "shoes:1",
 *         new ParameterizedTypeReference<List<Product>>() {}, () -> repository.page("shoes", 1));
 * }</pre>
 * Keys are any object (its {@code toString()} is the key). Cache names are resolved against
 * {@code redis-patterns.cache.caches}; unknown names use the defaults. No method throws because
 * Redis is slow or down: reads become misses, writes and evictions are skipped (and counted).
 */
public interface CacheTemplate {

	/**
	 * Reads an entry. A stale entry (inside its stale-while-revalidate window) is returned too.
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param key the key
	 * @param type the value type
	 * @return the value; {@code null} on a miss or a cached {@code null}
	 */
	<T> @Nullable T get(String cache, Object key, Class<T> type);

	/**
	 * Reads an entry of a generic type.
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param key the key
	 * @param type the value type, such as {@code new ParameterizedTypeReference<List<Product>>() {}}
	 * @return the value; {@code null} on a miss or a cached {@code null}
	 */
	<T> @Nullable T get(String cache, Object key, ParameterizedTypeReference<T> type);

	/**
	 * Returns the cached value or, on a miss, runs the loader once across all instances and stores
	 * its result.
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param key the key
	 * @param type the value type
	 * @param loader computes the value; its exception is rethrown (checked ones wrapped in
	 * {@link CacheLoaderException})
	 * @return the value
	 */
	<T> @Nullable T getOrLoad(String cache, Object key, Class<T> type, Callable<? extends @Nullable T> loader);

	/**
	 * Returns the cached value of a generic type or loads it.
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param key the key
	 * @param type the value type
	 * @param loader computes the value
	 * @return the value
	 */
	<T> @Nullable T getOrLoad(String cache, Object key, ParameterizedTypeReference<T> type,
			Callable<? extends @Nullable T> loader);

	/**
	 * Returns the cached value or loads it, tagging a newly stored entry.
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param key the key
	 * @param type the value type (a {@link Class}, a method's generic return type)
	 * @param tags tags of the stored entry
	 * @param loader computes the value
	 * @return the value
	 */
	<T> @Nullable T getOrLoad(String cache, Object key, Type type, Collection<String> tags,
			Callable<? extends @Nullable T> loader);

	/**
	 * Stores a value (unconditionally, without the loader lock).
	 * @param cache the cache name
	 * @param key the key
	 * @param value the value; {@code null} is stored only when the cache caches nulls, else the
	 * key is evicted
	 */
	default void put(String cache, Object key, @Nullable Object value) {
		put(cache, key, value, List.of());
	}

	/**
	 * Stores a tagged value.
	 * @param cache the cache name
	 * @param key the key
	 * @param value the value
	 * @param tags the entry's tags
	 */
	void put(String cache, Object key, @Nullable Object value, Collection<String> tags);

	/**
	 * Evicts one key (and any loader lock on it, so a load in flight does not store its result).
	 * @param cache the cache name
	 * @param key the key
	 */
	void evict(String cache, Object key);

	/**
	 * Evicts every entry carrying one of the tags.
	 * @param cache the cache name
	 * @param tags the tags
	 * @return how many keys were removed
	 */
	long evictTags(String cache, Collection<String> tags);

	/**
	 * Evicts every entry whose key matches a glob ({@code *} and {@code ?} are wildcards), with
	 * {@code SCAN} and {@code UNLINK} in batches on every master. Other caches and other
	 * applications' keys are never touched.
	 * @param cache the cache name
	 * @param keyPattern the glob over keys, such as {@code shoes:*}
	 * @return how many keys were removed
	 */
	long evictPattern(String cache, String keyPattern);

	/**
	 * Evicts every entry of a cache (also its tag sets and loader locks).
	 * @param cache the cache name
	 * @return how many keys were removed
	 */
	long clear(String cache);

	/**
	 * Returns the settings a cache uses.
	 * @param cache the cache name
	 * @return the settings
	 */
	CacheSettings settings(String cache);

	/**
	 * Returns the names of the configured caches and of the caches used so far.
	 * @return the cache names
	 */
	Set<String> cacheNames();

}
