package io.redispatterns.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reading 100 cached entries: {@link CacheTemplate#getAll} (one pipelined {@code MGET}) against 100
 * single {@link CacheTemplate#get}s (100 round trips), measured against the raw ceiling, one
 * {@code MGET} of the 100 keys through {@link StringRedisTemplate} without decoding. Every key is a
 * hit; each thread reads its own 100 keys.
 */
final class CacheBulkBenchmark {

	static final int KEYS = 100;

	private CacheBulkBenchmark() {
	}

	/** A small cached value, decoded from JSON by the cache. */
	public record Product(long id, String name, double price) {
	}

	static String run(StandaloneRedis redis, CommandCounter counter) {
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			Harness.Case ceiling = new Harness.Case("ceiling: raw MGET of the 100 entry keys", "", (thread) -> {
				List<String> rawKeys = rawKeys(caches, template, thread);
				return (i) -> template.opsForValue().multiGet(rawKeys).size() == KEYS;
			});
			List<Harness.Case> cases = List.of(new Harness.Case("redis-patterns getAll(100 keys)", "", (thread) -> {
				List<Long> keys = keys(caches, thread);
				return (i) -> caches.getAll("bench-products", keys, Product.class).size() == KEYS;
			}), new Harness.Case("redis-patterns 100 × get(key)", "", (thread) -> {
				List<Long> keys = keys(caches, thread);
				return (i) -> {
					int found = 0;
					for (Long key : keys) {
						if (caches.get("bench-products", key, Product.class) != null) {
							found++;
						}
					}
					return found == KEYS;
				};
			}));
			return Harness.ceilingTable("Cache, reading 100 entries (all hits): getAll vs 100 single gets, ratio to "
					+ "the raw ceiling, one MGET of the same keys", Harness.measureAgainstCeiling(ceiling, cases, counter));
		}
	}

	/** The keys of one thread, stored (with the cache's default TTL) before it runs. */
	private static List<Long> keys(CacheTemplate caches, int thread) {
		List<Long> keys = IntStream.range(0, KEYS).mapToObj((i) -> (long) thread * 1000 + i).toList();
		Map<Long, Product> values = new LinkedHashMap<>();
		keys.forEach((key) -> values.put(key, new Product(key, "product " + key, 9.99)));
		caches.putAll("bench-products", values, null);
		return keys;
	}

	private static List<String> rawKeys(CacheTemplate caches, StringRedisTemplate template, int thread) {
		List<Long> keys = keys(caches, thread);
		String namespace = ((RedisCacheTemplate) caches).keyNamespace();
		List<String> raw = keys.stream().map((key) -> namespace + "bench-products:{bench-products%3A" + key + "}").toList();
		if (template.opsForValue().get(raw.get(0)) == null) {
			throw new IllegalStateException("Entry keys are not where the benchmark expects them: " + raw.get(0));
		}
		return raw;
	}

}
