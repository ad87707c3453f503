package io.redispatterns.benchmarks;

import java.util.List;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A cache hit served by the near cache (memory, no Redis command) against the raw ceiling of a hit that
 * goes to Redis, one {@code GET} of the entry key through {@link StringRedisTemplate} without decoding;
 * the same hit without a near cache (one {@code GET} plus decoding) for comparison. Each thread reads
 * its own key, which is always a hit.
 */
final class CacheNearBenchmark {

	/** The cache with a near cache ({@code redis-patterns.cache.caches.bench-near.near.max-entries}). */
	static final String NEAR = "bench-near";

	static final String PLAIN = "bench-plain";

	private static final String NEAR_PROPERTY = "redis-patterns.cache.caches." + NEAR + ".near.max-entries";

	private CacheNearBenchmark() {
	}

	/** A small cached value, decoded from JSON by the cache. */
	public record Product(long id, String name, double price) {
	}

	static String run(StandaloneRedis redis, CommandCounter counter) {
		// only this benchmark's context has a near cache (its tracking heartbeat would add commands to the
		// counts of the others)
		System.setProperty(NEAR_PROPERTY, "10000");
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			Harness.Case ceiling = new Harness.Case("ceiling: raw GET of the entry key", "", (thread) -> {
				String key = stored(caches, PLAIN, thread);
				String rawKey = caches.keyNamespace() + PLAIN + ":{" + PLAIN + "%3A" + key + "}";
				if (template.opsForValue().get(rawKey) == null) {
					throw new IllegalStateException("Entry key is not where the benchmark expects it: " + rawKey);
				}
				return (i) -> template.opsForValue().get(rawKey) != null;
			});
			List<Harness.Case> cases = List.of(new Harness.Case("redis-patterns get(key), near cache hit", "", (thread) -> {
				String key = stored(caches, NEAR, thread);
				return (i) -> caches.get(NEAR, key, Product.class) != null;
			}), new Harness.Case("redis-patterns get(key), no near cache (one GET)", "", (thread) -> {
				String key = stored(caches, PLAIN, thread);
				return (i) -> caches.get(PLAIN, key, Product.class) != null;
			}));
			return Harness.ceilingTable("Cache hit from the near cache, ratio to the raw ceiling, one GET of the entry key",
					Harness.measureAgainstCeiling(ceiling, cases, counter));
		}
		finally {
			System.clearProperty(NEAR_PROPERTY);
		}
	}

	/** Stores one thread's entry (with the cache's default TTL) and returns its key. */
	private static String stored(CacheTemplate caches, String cache, int thread) {
		String key = "p" + thread;
		caches.put(cache, key, new Product(thread, "product " + thread, 9.99));
		return key;
	}

}
