package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
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
 * (entry format, JSON, TTLs), {@code DistributedLoader} (the read-or-load protocol),
 * {@code CacheReader} (reads), {@code LoaderWakeUps} (the wake-up subscription),
 * {@code BackgroundRefresh} (stale-while-revalidate), {@code CacheWrites} (puts, evictions and tag
 * indexes), {@code CacheFailures}, {@code BulkCacheOperations} and {@code AsyncCacheOperations}. This class holds the public API, the settings, statistics, metrics and
 * the circuit breaker they share.
 */
public class RedisCacheTemplate implements CacheTemplate, DisposableBean {

	private final StringRedisTemplate redis;

	private final CacheKeyspace keyspace;

	private final CacheEntryCodec codec;

	private final CacheReader reader;

	private final CacheSettings defaults;

	private final Map<String, CacheSettings> configured;

	private final CacheMetrics metrics;

	private final RedisCircuitBreaker breaker;

	private final LoaderLocks loaderLocks;

	private final CacheKeyConverter keyConverter;

	private final LoaderWakeUps wakeUps;

	private final DistributedLoader loader;

	private final BackgroundRefresh refresh;

	private final CacheWrites writes;

	private final BulkCacheOperations bulk = new BulkCacheOperations(this);

	private final Map<String, CacheStatistics> statistics = new ConcurrentHashMap<>();

	private volatile @Nullable AsyncCacheOperations async;

	private final CacheFailures failures;

	private volatile NearCaches nearCaches = NearCaches.NONE;

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
		this.keyConverter = keyConverter;
		this.loaderLocks = new LoaderLocks(redis);
		this.redis = redis;
		this.keyspace = new CacheKeyspace(keys);
		this.codec = new CacheEntryCodec(mapper, this::entryCorrupt);
		this.reader = new CacheReader(this);
		this.defaults = defaults;
		this.configured = Map.copyOf(configured);
		this.metrics = metrics;
		// meters of configured caches exist at zero from start-up
		this.configured.keySet().forEach(metrics::register);
		this.breaker = breaker;
		this.failures = new CacheFailures(breaker, metrics);
		this.wakeUps = new LoaderWakeUps(redis.getRequiredConnectionFactory(), this.keyspace.wakeUpChannel());
		this.loader = new DistributedLoader(this);
		this.refresh = new BackgroundRefresh(this, refreshThreads);
		this.writes = new CacheWrites(this, redis);
	}

	// ---------------------------------------------------------------- public API

	@Override
	public <T> @Nullable T get(String cache, Object key, Class<T> type) {
		return this.reader.<T>lookup(cache, key, type).value();
	}

	@Override
	public <T> @Nullable T get(String cache, Object key, ParameterizedTypeReference<T> type) {
		return this.reader.<T>lookup(cache, key, type.getType()).value();
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
			return this.loader.getOrLoad(cache, settings(cache), id(key), type, tags, loader::call,
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
		this.writes.put(cache, entryKeys(cache, id(key)), value, tags);
	}

	@Override
	public void evict(String cache, Object key) {
		CacheKeyspace.EntryKeys k = entryKeys(cache, id(key));
		this.writes.evictKeys(cache, List.of(k.value(), k.lock()));
	}

	@Override
	public long evictTags(String cache, Collection<String> tags) {
		return this.writes.evictTags(cache, tags);
	}

	@Override
	public long evictPattern(String cache, String keyPattern) {
		return this.writes.scanAndUnlink(cache, this.keyspace.entryGlob(cache, keyPattern), true);
	}

	@Override
	public long clear(String cache) {
		// entries, their loader locks and tag sets all live in the cache's namespace
		return this.writes.scanAndUnlink(cache, this.keyspace.cacheGlob(cache), false);
	}

	@Override
	public CacheSettings settings(String cache) {
		return this.configured.getOrDefault(cache, this.defaults);
	}

	/**
	 * Tells whether a cache is listed in the configuration.
	 * @param cache the cache name
	 * @return {@code true} for a configured cache
	 */
	public boolean isConfigured(String cache) {
		return this.configured.containsKey(cache);
	}

	@Override
	public Set<String> cacheNames() {
		Set<String> names = new TreeSet<>(this.configured.keySet());
		names.addAll(this.statistics.keySet());
		return names;
	}

	/**
	 * Describes every cache for the Actuator endpoint: TTLs, counts and hit ratio.
	 * @return the description per cache name
	 */
	public Map<String, Object> describe() {
		return CacheDescription.of(this);
	}

	/**
	 * Returns the circuit breaker's state.
	 * @return {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}, cased like every other state the library reports
	 */
	public String circuitState() {
		return this.breaker.state().name();
	}

	/**
	 * Gives some caches an in-memory near cache, kept coherent by Redis server-assisted client tracking
	 * on a dedicated connection (set once, while the application starts).
	 * @param settings the near cache of each cache that has one
	 */
	public void setNearCaches(Map<String, NearCacheSettings> settings) {
		this.nearCaches.close();
		this.nearCaches = settings.isEmpty() ? NearCaches.NONE
				: new NearCaches(this.redis.getRequiredConnectionFactory(), this.keyspace, settings, this.configured,
						this.defaults, this.metrics);
	}

	NearCaches nearCaches() {
		return this.nearCaches;
	}

	/** Drops this instance's copy of an entry (its own write or eviction). */
	void nearInvalidate(String cache, String valueKey) {
		NearCache near = this.nearCaches.of(cache);
		if (near != null) {
			near.invalidate(valueKey);
		}
	}

	/** Drops every copy of a cache's entries. */
	void nearClear(String cache) {
		NearCache near = this.nearCaches.of(cache);
		if (near != null) {
			near.clear();
		}
	}

	@Override
	public void destroy() {
		this.nearCaches.close();
		this.refresh.destroy();
		this.loader.destroy();
		this.wakeUps.destroy();
	}

	CacheFailures failures() {
		return this.failures;
	}

	/** The circuit breaker. */
	public RedisCircuitBreaker breaker() {
		return this.breaker;
	}

	LoaderLocks loaderLocks() {
		return this.loaderLocks;
	}

	CacheMetrics metrics() {
		return this.metrics;
	}

	StringRedisTemplate redis() {
		return this.redis;
	}

	CacheKeyspace keyspace() {
		return this.keyspace;
	}

	/**
	 * Encrypts the values of some caches (set once, while the application starts).
	 * @param encryption the encrypted caches and their encryptor
	 */
	public void setValueEncryption(CacheValueEncryption encryption) {
		this.codec.setEncryption(encryption);
	}

	CacheEntryCodec codec() {
		return this.codec;
	}

	/**
	 * Returns the cached value or loads it, with settings and an id already resolved.
	 * @param refreshLoader the loader for a background refresh (may run on another thread)
	 */
	public <T> @Nullable T getOrLoad(String cache, CacheSettings settings, String id, Type type, Collection<String> tags,
			DistributedLoader.Loader<? extends @Nullable T> loader,
			DistributedLoader.Loader<? extends @Nullable T> refreshLoader) {
		return this.loader.getOrLoad(cache, settings, id, type, tags, loader, refreshLoader);
	}

	CacheReader reader() {
		return this.reader;
	}

	/** Counts an entry that did not decode (it is evicted by the reader). */
	private void entryCorrupt(String cache, String message) {
		statistics(cache).corrupt.increment();
		this.metrics.corrupt(cache);
		this.failures.warn(message);
	}

	DistributedLoader loader() {
		return this.loader;
	}

	LoaderWakeUps wakeUps() {
		return this.wakeUps;
	}

	BackgroundRefresh refresh() {
		return this.refresh;
	}

	CacheWrites writes() {
		return this.writes;
	}

	/** The non-blocking operations, created on first use. */
	AsyncCacheOperations async() {
		AsyncCacheOperations async = this.async;
		if (async == null) {
			async = new AsyncCacheOperations(this);
			this.async = async;
		}
		return async;
	}

	/**
	 * Evicts one entry (and its loader lock).
	 * @return whether anything was removed
	 */
	boolean evictIfPresent(String cache, Object key) {
		CacheKeyspace.EntryKeys k = entryKeys(cache, id(key));
		return this.writes.evictKeys(cache, List.of(k.value(), k.lock())) > 0;
	}

	/** The value keys whose wake-up this instance waits for (for tests). */
	public Set<String> pendingWakeUps() {
		return this.wakeUps.pending();
	}

	void countError(String cache, CacheStatistics stats) {
		stats.errors.increment();
		this.metrics.get(cache, "error");
	}

	CacheStatistics statistics(String cache) {
		return this.statistics.computeIfAbsent(cache, (name) -> new CacheStatistics());
	}

	/**
	 * Returns the start every key of every cache shares.
	 * @return {@code <prefix>:cache:}
	 */
	public String keyNamespace() {
		return this.keyspace.namespace();
	}

	/**
	 * Returns the string that identifies a key's entry.
	 * @param key the cache key
	 * @return its stable string form
	 * @throws IllegalStateException when the key's type has none (see {@link CacheKeyConverter})
	 */
	public String id(Object key) {
		return this.keyConverter.convert(key);
	}

	public CacheKeyspace.EntryKeys entryKeys(String cache, String id) {
		return this.keyspace.entryKeys(cache, id);
	}

	/** The tag index of a tag. */
	public String tagKey(String cache, String tag) {
		return this.keyspace.tagKey(cache, tag);
	}

	record Lookup<T>(boolean present, @Nullable T value) {

		static <T> Lookup<T> miss() {
			return new Lookup<>(false, null);
		}

	}

}
