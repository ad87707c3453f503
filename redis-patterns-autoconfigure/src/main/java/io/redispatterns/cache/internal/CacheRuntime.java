package io.redispatterns.cache.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.cache.CacheMetrics;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.NearCacheSettings;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What the operations of one {@link RedisCacheTemplate} share: the connection, key names, the entry
 * codec, the settings per cache, statistics and metrics, the circuit breaker and failure handling, the
 * near caches, and the parts that do the work ({@code CacheReader}, {@code DistributedLoader},
 * {@code LockedLoader}, {@code CacheWrites}, {@code LoaderWakeUps}, {@code BackgroundRefresh},
 * {@code AsyncCacheOperations}), each built once with this and reaching the others through it. The
 * template holds the public API on top.
 */
final class CacheRuntime {

	private final StringRedisTemplate redis;

	private final CacheKeyspace keyspace;

	private final CacheKeyConverter keyConverter;

	private final CacheEntryCodec codec;

	private final CacheSettings defaults;

	private final Map<String, CacheSettings> configured;

	private final CacheMetrics metrics;

	private final RedisCircuitBreaker breaker;

	private final CacheFailures failures;

	private final LoaderLocks loaderLocks;

	private final Map<String, CacheStatistics> statistics = new ConcurrentHashMap<>();

	private volatile NearCaches nearCaches = NearCaches.NONE;

	private final CacheReader reader;

	private final LoaderWakeUps wakeUps;

	private final DistributedLoader loader;

	private final LockedLoader lockedLoader;

	private final BackgroundRefresh refresh;

	private final CacheWrites writes;

	private volatile @Nullable AsyncCacheOperations async;

	CacheRuntime(StringRedisTemplate redis, RedisKeys keys, JsonMapper mapper, CacheSettings defaults,
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
		this.lockedLoader = new LockedLoader(this);
		this.loader = new DistributedLoader(this);
		this.refresh = new BackgroundRefresh(this, refreshThreads);
		this.writes = new CacheWrites(this, redis);
	}

	CacheSettings settings(String cache) {
		return this.configured.getOrDefault(cache, this.defaults);
	}

	boolean isConfigured(String cache) {
		return this.configured.containsKey(cache);
	}

	/** The configured caches and every cache used since start-up. */
	Set<String> cacheNames() {
		Set<String> names = new TreeSet<>(this.configured.keySet());
		names.addAll(this.statistics.keySet());
		return names;
	}

	/** The string that identifies a key's entry (see {@link CacheKeyConverter}). */
	String id(Object key) {
		return this.keyConverter.convert(key);
	}

	CacheKeyspace.EntryKeys entryKeys(String cache, String id) {
		return this.keyspace.entryKeys(cache, id);
	}

	/** Replaces the near caches (set once, while the application starts). */
	void setNearCaches(Map<String, NearCacheSettings> settings) {
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

	CacheStatistics statistics(String cache) {
		return this.statistics.computeIfAbsent(cache, (name) -> new CacheStatistics());
	}

	void countError(String cache, CacheStatistics stats) {
		stats.errors.increment();
		this.metrics.get(cache, "error");
	}

	/** Counts an entry that did not decode (it is evicted by the reader). */
	private void entryCorrupt(String cache, String message) {
		statistics(cache).corrupt.increment();
		this.metrics.corrupt(cache);
		this.failures.warn(message);
	}

	StringRedisTemplate redis() {
		return this.redis;
	}

	CacheKeyspace keyspace() {
		return this.keyspace;
	}

	CacheEntryCodec codec() {
		return this.codec;
	}

	CacheMetrics metrics() {
		return this.metrics;
	}

	RedisCircuitBreaker breaker() {
		return this.breaker;
	}

	CacheFailures failures() {
		return this.failures;
	}

	LoaderLocks loaderLocks() {
		return this.loaderLocks;
	}

	CacheReader reader() {
		return this.reader;
	}

	LoaderWakeUps wakeUps() {
		return this.wakeUps;
	}

	DistributedLoader loader() {
		return this.loader;
	}

	LockedLoader lockedLoader() {
		return this.lockedLoader;
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

	/** Stops the near caches, the refresh pool, the lease renewals and the wake-up subscription. */
	void destroy() {
		this.nearCaches.close();
		this.refresh.destroy();
		this.lockedLoader.destroy();
		this.wakeUps.destroy();
	}

}
