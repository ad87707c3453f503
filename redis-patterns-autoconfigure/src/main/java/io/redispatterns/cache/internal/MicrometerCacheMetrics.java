package io.redispatterns.cache.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.redispatterns.cache.CacheMetrics;

/**
 * Cache metrics with Micrometer's cache names, so that existing dashboards work:
 * {@code cache.gets{cache,cache.manager,result=hit|miss|stale|error}}, {@code cache.puts{cache,cache.manager}},
 * {@code cache.evictions{cache,cache.manager}} — with the {@code cache.manager} tag that Spring Boot's
 * cache metrics put on every {@code cache.*} meter (the manager's bean name without its
 * {@code CacheManager} suffix), so that they share one set of tag keys with the meters of an
 * application's other caches, as registries such as Prometheus require; plus {@code redis.patterns.cache.loads{cache,outcome}} (timer),
 * {@code redis.patterns.cache.lock.waits{cache}} (timer), {@code redis.patterns.cache.corrupt{cache}}
 * and {@code redis.patterns.cache.errors{cache,operation}}; for caches with a near cache also
 * {@code cache.near.gets{cache,cache.manager,result=hit|miss}}, {@code cache.near.evictions{cache,cache.manager}}
 * and {@code cache.near.invalidations{cache,cache.manager}}. Meters are looked up once per name and
 * tag values, then kept, so a hit records without building a meter id.
 */
public final class MicrometerCacheMetrics implements CacheMetrics {

	/**
	 * The {@code cache.manager} tag of the redis-patterns caches: the name Spring Boot derives from
	 * the bean name {@code redisPatternsCacheManager}.
	 */
	public static final String CACHE_MANAGER = "redisPatterns";

	private final MeterRegistry registry;

	private final String cacheManager;

	/** Per cache name, per result: looked up without building a key (a hit records with two map reads). */
	private final Map<String, Map<String, Counter>> gets = new ConcurrentHashMap<>();

	private final Map<String, Counter> puts = new ConcurrentHashMap<>();

	private final Map<String, Counter> evictions = new ConcurrentHashMap<>();

	private final Map<String, Timer> loads = new ConcurrentHashMap<>();

	private final Map<String, Timer> lockWaits = new ConcurrentHashMap<>();

	private final Map<String, Counter> corrupt = new ConcurrentHashMap<>();

	private final Map<String, Counter> errors = new ConcurrentHashMap<>();

	private final Map<String, Counter> nearHits = new ConcurrentHashMap<>();

	private final Map<String, Counter> nearMisses = new ConcurrentHashMap<>();

	private final Map<String, Counter> nearEvictions = new ConcurrentHashMap<>();

	private final Map<String, Counter> nearInvalidations = new ConcurrentHashMap<>();

	/**
	 * Creates metrics on a registry.
	 * @param registry the registry
	 */
	public MicrometerCacheMetrics(MeterRegistry registry) {
		this(registry, CACHE_MANAGER);
	}

	/**
	 * Creates metrics on a registry with the given {@code cache.manager} tag.
	 * @param registry the registry
	 * @param cacheManager the value of the {@code cache.manager} tag of the {@code cache.*} meters
	 */
	public MicrometerCacheMetrics(MeterRegistry registry, String cacheManager) {
		this.registry = registry;
		this.cacheManager = cacheManager;
	}

	@Override
	public void register(String cache) {
		for (String result : List.of("hit", "miss", "stale", "error")) {
			getsMeter(cache, result);
		}
		putsMeter(cache);
		evictionsMeter(cache);
		for (String outcome : List.of("success", "failure", "refresh-failure")) {
			loadsMeter(cache, outcome);
		}
		lockWaitsMeter(cache);
		corruptMeter(cache);
		for (String operation : List.of("read", "write", "evict", "lock")) {
			errorsMeter(cache, operation);
		}
	}

	@Override
	public void get(String cache, String result) {
		getsMeter(cache, result).increment();
	}

	@Override
	public void put(String cache) {
		putsMeter(cache).increment();
	}

	@Override
	public void evictions(String cache, long count) {
		evictionsMeter(cache).increment(count);
	}

	@Override
	public void load(String cache, String outcome, Duration duration) {
		loadsMeter(cache, outcome).record(duration);
	}

	@Override
	public void lockWait(String cache, Duration duration) {
		lockWaitsMeter(cache).record(duration);
	}

	@Override
	public void corrupt(String cache) {
		corruptMeter(cache).increment();
	}

	@Override
	public void redisError(String cache, String operation) {
		errorsMeter(cache, operation).increment();
	}

	@Override
	public void registerNear(String cache) {
		nearGet(cache, true, 0);
		nearGet(cache, false, 0);
		nearCounter(this.nearEvictions, "cache.near.evictions", "Near cache copies dropped to stay within max-entries", cache);
		nearCounter(this.nearInvalidations, "cache.near.invalidations",
				"Near cache copies dropped because their entries changed or the tracking connection was lost", cache);
	}

	@Override
	public void nearGet(String cache, boolean hit) {
		nearGet(cache, hit, 1);
	}

	@Override
	public void nearEvictions(String cache, long count) {
		nearCounter(this.nearEvictions, "cache.near.evictions", "Near cache copies dropped to stay within max-entries", cache)
			.increment(count);
	}

	@Override
	public void nearInvalidations(String cache, long count) {
		nearCounter(this.nearInvalidations, "cache.near.invalidations",
				"Near cache copies dropped because their entries changed or the tracking connection was lost", cache)
			.increment(count);
	}

	private void nearGet(String cache, boolean hit, long count) {
		Map<String, Counter> counters = hit ? this.nearHits : this.nearMisses;
		Counter counter = counters.get(cache);
		if (counter == null) {
			counter = counters.computeIfAbsent(cache, (key) -> Counter.builder("cache.near.gets")
				.description("Reads of the in-memory near cache")
				.tag("cache", cache)
				.tag("cache.manager", this.cacheManager)
				.tag("result", hit ? "hit" : "miss")
				.register(this.registry));
		}
		if (count > 0) {
			counter.increment(count);
		}
	}

	private Counter nearCounter(Map<String, Counter> counters, String name, String description, String cache) {
		return counters.computeIfAbsent(cache, (key) -> Counter.builder(name)
			.description(description)
			.tag("cache", cache)
			.tag("cache.manager", this.cacheManager)
			.register(this.registry));
	}

	private Counter getsMeter(String cache, String result) {
		// the known meter without a concatenated key or a capturing callback: this runs on every cache read
		Map<String, Counter> byResult = this.gets.get(cache);
		Counter counter = (byResult != null) ? byResult.get(result) : null;
		return (counter != null) ? counter : newGetsMeter(cache, result);
	}

	private Counter newGetsMeter(String cache, String result) {
		return this.gets.computeIfAbsent(cache, (key) -> new ConcurrentHashMap<>())
			.computeIfAbsent(result, (key) -> Counter.builder("cache.gets")
				.description("Cache reads")
				.tag("cache", cache)
				.tag("cache.manager", this.cacheManager)
				.tag("result", result)
				.register(this.registry));
	}

	private Counter putsMeter(String cache) {
		return this.puts.computeIfAbsent(cache, (key) -> Counter.builder("cache.puts")
			.description("Entries added to the cache")
			.tag("cache", cache)
			.tag("cache.manager", this.cacheManager)
			.register(this.registry));
	}

	private Counter evictionsMeter(String cache) {
		return this.evictions.computeIfAbsent(cache, (key) -> Counter.builder("cache.evictions")
			.description("Cache evictions")
			.tag("cache", cache)
			.tag("cache.manager", this.cacheManager)
			.register(this.registry));
	}

	private Timer loadsMeter(String cache, String outcome) {
		return this.loads.computeIfAbsent(cache + '\0' + outcome, (key) -> Timer.builder("redis.patterns.cache.loads")
			.description("Loader runs")
			.tag("cache", cache)
			.tag("outcome", outcome)
			.register(this.registry));
	}

	private Timer lockWaitsMeter(String cache) {
		return this.lockWaits.computeIfAbsent(cache, (key) -> Timer.builder("redis.patterns.cache.lock.waits")
			.description("Waits for another instance's loader")
			.tag("cache", cache)
			.register(this.registry));
	}

	private Counter corruptMeter(String cache) {
		return this.corrupt.computeIfAbsent(cache, (key) -> Counter.builder("redis.patterns.cache.corrupt")
			.description("Entries that no longer decoded and were evicted")
			.tag("cache", cache)
			.register(this.registry));
	}

	private Counter errorsMeter(String cache, String operation) {
		return this.errors.computeIfAbsent(cache + '\0' + operation, (key) -> Counter.builder("redis.patterns.cache.errors")
			.description("Redis failures the callers did not see")
			.tag("cache", cache)
			.tag("operation", operation)
			.register(this.registry));
	}

}
