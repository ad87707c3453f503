package io.redispatterns.cache;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

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
	 * Reads many entries at once: one pipelined round trip per Redis node (per Cluster master; one
	 * {@code MGET} on a standalone server). A stale entry is returned too, as by {@link #get}.
	 * <p>
	 * The default implementation reads key by key; the Redis implementation batches.
	 * @param <K> the key type
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param keys the keys
	 * @param type the value type
	 * @return the keys that have a value, with it, in the order of {@code keys}; misses and cached
	 * {@code null}s are absent
	 */
	default <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Class<T> type) {
		Map<K, T> found = new LinkedHashMap<>();
		for (K key : keys) {
			T value = get(cache, key, type);
			if (value != null) {
				found.put(key, value);
			}
		}
		return found;
	}

	/**
	 * Reads many entries at once and loads the missing ones with one call of a batch loader, with
	 * the stampede protection of {@link #getOrLoad}: a loader lock per missing key, so that across
	 * all instances each key is loaded by one caller; keys whose lock another caller holds are
	 * waited for as single gets wait.
	 * <pre>{@code
	 * Map<Long, Product> products = caches.getAll("products", ids, Product.class,
	 *         (missing) -> repository.findAllById(missing));
	 * }</pre>
	 * The default implementation loads key by key; the Redis implementation batches.
	 * @param <K> the key type
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param keys the keys
	 * @param type the value type
	 * @param loader loads the values of the keys it is given (a subset of {@code keys}); a key it
	 * leaves out has no value (cached as {@code null} when the cache caches nulls); its exception is
	 * rethrown
	 * @return the keys that have a value, with it, in the order of {@code keys}
	 */
	default <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Class<T> type,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		Map<K, T> found = new LinkedHashMap<>();
		for (K key : keys) {
			T value = getOrLoad(cache, key, type, () -> loader.apply(Set.of(key)).get(key));
			if (value != null) {
				found.put(key, value);
			}
		}
		return found;
	}

	/**
	 * Reads many entries of a generic type at once, loading the missing ones in one batch.
	 * @param <K> the key type
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param keys the keys
	 * @param type the value type, such as {@code new ParameterizedTypeReference<List<Product>>() {}}
	 * @param loader loads the values of the keys it is given
	 * @return the keys that have a value, with it, in the order of {@code keys}
	 * @see #getAll(String, Collection, Class, Function)
	 */
	default <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, ParameterizedTypeReference<T> type,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		Map<K, T> found = new LinkedHashMap<>();
		for (K key : keys) {
			T value = getOrLoad(cache, key, type, () -> loader.apply(Set.of(key)).get(key));
			if (value != null) {
				found.put(key, value);
			}
		}
		return found;
	}

	/**
	 * Stores many values at once (unconditionally, without loader locks): one pipelined round trip
	 * per Redis node.
	 * @param cache the cache name
	 * @param values the values by key; a {@code null} value is stored only when the cache caches
	 * nulls, else its key is evicted
	 * @param ttl how long the entries are fresh (jittered and followed by the stale-while-revalidate
	 * window as configured), or {@code null} for the cache's TTL
	 * @throws UnsupportedOperationException from the default implementation when a TTL is given
	 */
	default void putAll(String cache, Map<?, ?> values, @Nullable Duration ttl) {
		if (ttl != null) {
			throw new UnsupportedOperationException(getClass().getName() + " does not store with a TTL per call");
		}
		values.forEach((key, value) -> put(cache, key, value));
	}

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
