package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

import io.redispatterns.cache.CacheMetrics;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.CachedWithLock;
import io.redispatterns.cache.NearCacheSettings;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis implementation of {@link CacheTemplate}, also used by {@link CachedWithLock} and the
 * {@link RedisPatternsCacheManager}.
 * <p>
 * Keys: the entry {@code <prefix>:cache:<cache>:{<cache>:<key>}}, its loader lock
 * {@code <prefix>:cache:<cache>:{<cache>:<key>}:loader} (same hash tag, so the fenced write is one
 * script on Redis Cluster) and tag indexes {@code <prefix>:cache:<cache>:{<tag>}:tags} (sorted sets
 * of value keys scored by when their entries expire, pruned on every add; key parts escaped by
 * {@link RedisKeys}). Every key of a cache is in its own namespace, never in the lock
 * package's, whose lock names are chosen by users.
 * <p>
 * A hit is one {@code GET}. A miss is coalesced per key in this JVM; the local leader takes the
 * loader lock with the lock package's owner-token protocol (one {@code SET NX PX} attempt, lease
 * renewed every third of its length while loading, compare-and-delete release) and writes with a
 * script that stores the value only if the lock is still its own and publishes a wake-up to the
 * waiters of other instances; then it releases the lock. Waiters wake
 * on that message (or a bounded fallback poll) and read the value.
 * <p>
 * The work is split along its seams: {@code CacheKeyspace} (key names), {@code CacheEntryCodec}
 * (entry format, JSON, TTLs), {@code DistributedLoader} (the read-or-load protocol), {@code LockedLoader}
 * (loading under the lock: renewal, fenced write, release), {@code CacheReader} (reads),
 * {@code LoaderWakeUps} (the wake-up subscription), {@code BackgroundRefresh} (stale-while-revalidate),
 * {@code CacheWrites} (puts, evictions and tag indexes), {@code CacheFailures}, {@code BulkCacheOperations}
 * and {@code AsyncCacheOperations}. {@code CacheRuntime} holds what they share (settings, statistics,
 * metrics, the circuit breaker, the near caches); this class holds the public API.
 */
public class RedisCacheTemplate implements CacheTemplate, DisposableBean {

	private final CacheRuntime runtime;

	private final BulkCacheOperations bulk;

	/**
	 * Creates a template.
	 * @param redis the template to run commands with
	 * @param keys the key builder
	 * @param mapper the JSON mapper (no default typing)
	 * @param defaults the settings of caches not listed in {@code configured}
	 * @param configured settings per cache name
	 * @param metrics where to report
	 * @param breaker the circuit breaker that skips Redis while it is known down
	 * @param refreshThreads threads for background refreshes
	 */
	public RedisCacheTemplate(StringRedisTemplate redis, RedisKeys keys, JsonMapper mapper, CacheSettings defaults,
			Map<String, CacheSettings> configured, CacheMetrics metrics, RedisCircuitBreaker breaker,
			int refreshThreads) {
		this(redis, keys, mapper, defaults, configured, metrics, breaker, refreshThreads, new CacheKeyConverter());
	}

	/**
	 * Creates a template.
	 * @param redis the template to run commands with
	 * @param keys the key builder
	 * @param mapper the JSON mapper (no default typing)
	 * @param defaults the settings of caches not listed in {@code configured}
	 * @param configured settings per cache name
	 * @param metrics where to report
	 * @param breaker the circuit breaker that skips Redis while it is known down
	 * @param refreshThreads threads for background refreshes
	 * @param keyConverter turns cache keys into the strings that identify entries
	 */
	public RedisCacheTemplate(StringRedisTemplate redis, RedisKeys keys, JsonMapper mapper, CacheSettings defaults,
			Map<String, CacheSettings> configured, CacheMetrics metrics, RedisCircuitBreaker breaker,
			int refreshThreads, CacheKeyConverter keyConverter) {
		this.runtime = new CacheRuntime(redis, keys, mapper, defaults, configured, metrics, breaker, refreshThreads,
				keyConverter);
		this.bulk = new BulkCacheOperations(this.runtime);
	}

	// ---------------------------------------------------------------- public API

	@Override
	public <T> @Nullable T get(String cache, Object key, Class<T> type) {
		return this.runtime.reader().<T>lookup(cache, key, type).value();
	}

	@Override
	public <T> @Nullable T get(String cache, Object key, ParameterizedTypeReference<T> type) {
		return this.runtime.reader().<T>lookup(cache, key, type.getType()).value();
	}

	@Override
	public <T> @Nullable T getOrLoad(String cache, Object key, Class<T> type, Callable<? extends @Nullable T> loader) {
		return getOrLoad(cache, key, (Type) type, List.of(), loader);
	}

	@Override
	public <T> @Nullable T getOrLoad(String cache, Object key, ParameterizedTypeReference<T> type,
			Callable<? extends @Nullable T> loader) {
		return getOrLoad(cache, key, type.getType(), List.of(), loader);
	}

	@Override
	public <T> @Nullable T getOrLoad(String cache, Object key, Type type, Collection<String> tags,
			Callable<? extends @Nullable T> loader) {
		try {
			return this.runtime.loader().getOrLoad(cache, settings(cache), id(key), type, tags, loader::call,
					loader::call);
		}
		catch (DistributedLoader.LoaderFailedException ex) {
			throw ex.rethrow(cache);
		}
	}

	@Override
	public <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Class<T> type) {
		return this.bulk.getAll(cache, keys, type);
	}

	@Override
	public <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Class<T> type,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		return getAll(cache, keys, (Type) type, loader);
	}

	@Override
	public <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, ParameterizedTypeReference<T> type,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		return getAll(cache, keys, type.getType(), loader);
	}

	private <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Type type,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		try {
			return this.bulk.getAll(cache, keys, type, loader);
		}
		catch (DistributedLoader.LoaderFailedException ex) {
			throw ex.rethrow(cache);
		}
	}

	@Override
	public void putAll(String cache, Map<?, ?> values, @Nullable Duration ttl) {
		this.bulk.putAll(cache, values, ttl);
	}

	@Override
	public void put(String cache, Object key, @Nullable Object value, Collection<String> tags) {
		this.runtime.writes().put(cache, entryKeys(cache, id(key)), value, tags);
	}

	@Override
	public void evict(String cache, Object key) {
		CacheKeyspace.EntryKeys k = entryKeys(cache, id(key));
		this.runtime.writes().evictKeys(cache, List.of(k.value(), k.lock()));
	}

	@Override
	public long evictTags(String cache, Collection<String> tags) {
		return this.runtime.writes().evictTags(cache, tags);
	}

	@Override
	public long evictPattern(String cache, String keyPattern) {
		return this.runtime.writes().scanAndUnlink(cache, this.runtime.keyspace().entryGlob(cache, keyPattern), true);
	}

	@Override
	public long clear(String cache) {
		// entries, their loader locks and tag sets all live in the cache's namespace
		return this.runtime.writes().scanAndUnlink(cache, this.runtime.keyspace().cacheGlob(cache), false);
	}

	@Override
	public CacheSettings settings(String cache) {
		return this.runtime.settings(cache);
	}

	/**
	 * Tells whether a cache is listed in the configuration.
	 * @param cache the cache name
	 * @return {@code true} for a configured cache
	 */
	public boolean isConfigured(String cache) {
		return this.runtime.isConfigured(cache);
	}

	@Override
	public Set<String> cacheNames() {
		return this.runtime.cacheNames();
	}

	/**
	 * Describes every cache for the Actuator endpoint: TTLs, counts and hit ratio.
	 * @return the description per cache name
	 */
	public Map<String, Object> describe() {
		return CacheDescription.of(this.runtime);
	}

	/**
	 * Returns the circuit breaker's state.
	 * @return {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}, cased like every other state the library reports
	 */
	public String circuitState() {
		return this.runtime.breaker().state().name();
	}

	/**
	 * Gives some caches an in-memory near cache, kept coherent by Redis server-assisted client tracking
	 * on a dedicated connection (set once, while the application starts).
	 * @param settings the near cache of each cache that has one
	 */
	public void setNearCaches(Map<String, NearCacheSettings> settings) {
		this.runtime.setNearCaches(settings);
	}

	NearCaches nearCaches() {
		return this.runtime.nearCaches();
	}

	/**
	 * Encrypts the values of some caches (set once, while the application starts).
	 * @param encryption the encrypted caches and their encryptor
	 */
	public void setValueEncryption(CacheValueEncryption encryption) {
		this.runtime.codec().setEncryption(encryption);
	}

	@Override
	public void destroy() {
		this.runtime.destroy();
	}

	/**
	 * Returns the circuit breaker that skips Redis while it is known down.
	 * @return the breaker
	 */
	public RedisCircuitBreaker breaker() {
		return this.runtime.breaker();
	}

	/** What the operations of this template share, for the Spring cache, the interceptor and write-through. */
	CacheRuntime runtime() {
		return this.runtime;
	}

	/**
	 * Returns the cached value or loads it, with settings and an id already resolved.
	 * @param refreshLoader the loader for a background refresh (may run on another thread)
	 */
	public <T> @Nullable T getOrLoad(String cache, CacheSettings settings, String id, Type type, Collection<String> tags,
			DistributedLoader.Loader<? extends @Nullable T> loader,
			DistributedLoader.Loader<? extends @Nullable T> refreshLoader) {
		return this.runtime.loader().getOrLoad(cache, settings, id, type, tags, loader, refreshLoader);
	}

	/**
	 * Evicts one entry (and its loader lock).
	 * @return whether anything was removed
	 */
	boolean evictIfPresent(String cache, Object key) {
		CacheKeyspace.EntryKeys k = entryKeys(cache, id(key));
		return this.runtime.writes().evictKeys(cache, List.of(k.value(), k.lock())) > 0;
	}

	/** The value keys whose wake-up this instance waits for (for tests). */
	public Set<String> pendingWakeUps() {
		return this.runtime.wakeUps().pending();
	}

	/**
	 * Returns the start every key of every cache shares.
	 * @return {@code <prefix>:cache:}
	 */
	public String keyNamespace() {
		return this.runtime.keyspace().namespace();
	}

	/**
	 * Returns the string that identifies a key's entry.
	 * @param key the cache key
	 * @return its stable string form
	 * @throws IllegalStateException when the key's type has none (see {@link CacheKeyConverter})
	 */
	public String id(Object key) {
		return this.runtime.id(key);
	}

	/**
	 * Returns the keys of an entry: its value and its loader lock.
	 * @param cache the cache name
	 * @param id the entry's id (see {@link #id(Object)})
	 * @return the entry's keys
	 */
	public CacheKeyspace.EntryKeys entryKeys(String cache, String id) {
		return this.runtime.entryKeys(cache, id);
	}

	/** The tag index of a tag. */
	public String tagKey(String cache, String tag) {
		return this.runtime.keyspace().tagKey(cache, tag);
	}

	record Lookup<T>(boolean present, @Nullable T value) {

		static <T> Lookup<T> miss() {
			return new Lookup<>(false, null);
		}

	}

}
