package io.redispatterns.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.test.StandaloneRedis;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A cache hit served by the near cache (memory, no Redis command) against the raw ceiling of a hit that
 * goes to Redis, one {@code GET} of the entry key through {@link StringRedisTemplate} without decoding;
 * the same hit without a near cache (one {@code GET} plus decoding) for comparison. Each thread reads
 * its own key, which is always a hit.
 * <p>
 * A second ceiling does the same raw {@code GET} and also decodes the entry's JSON into the same {@link Product}
 * with the application's {@link JsonCodec} mapper, so that a no-near hit's distance to the ceiling splits into
 * what decoding costs anyway and what the cache's own read path adds. {@link #hit} runs the no-near hit alone
 * against both ceilings ({@code -Dexec.args=cache-hit}); {@link #run} runs every row.
 */
final class CacheNearBenchmark {

	/** The cache with a near cache ({@code redis-patterns.cache.caches.bench-near.near.max-entries}). */
	static final String NEAR = "bench-near";

	static final String PLAIN = "bench-plain";

	private static final String CEILING = "ceiling: raw GET of the entry key";

	private static final String DECODE_CEILING = "ceiling 2: raw GET + JSON decode into Product";

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
			List<Harness.Case> cases = List.of(rawGetAndDecode(context), new Harness.Case("redis-patterns get(key), near cache hit", "", (thread) -> {
				String key = stored(caches, NEAR, thread);
				return (i) -> caches.get(NEAR, key, Product.class) != null;
			}), noNearHit(caches));
			return table("Cache hit from the near cache, ratio to the raw ceiling, one GET of the entry key",
					Harness.measureAgainstCeiling(rawGet(context), cases, counter));
		}
		finally {
			System.clearProperty(NEAR_PROPERTY);
		}
	}

	/**
	 * The cache hit without a near cache alone, against the raw {@code GET} and the raw {@code GET} plus decoding
	 * (no near-cache context, so no tracking connection either).
	 */
	static String hit(StandaloneRedis redis, CommandCounter counter) {
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
			List<Harness.Case> cases = List.of(rawGetAndDecode(context), noNearHit(caches));
			return table("Cache hit without near cache, ratio to the raw ceilings (GET; GET + decode)",
					Harness.measureAgainstCeiling(rawGet(context), cases, counter));
		}
	}

	private static Harness.Case rawGet(ConfigurableApplicationContext context) {
		RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
		StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
		return new Harness.Case(CEILING, "", (thread) -> {
			String rawKey = rawKey(caches, stored(caches, PLAIN, thread));
			if (template.opsForValue().get(rawKey) == null) {
				throw new IllegalStateException("Entry key is not where the benchmark expects it: " + rawKey);
			}
			return (i) -> template.opsForValue().get(rawKey) != null;
		});
	}

	/** The raw {@code GET} plus decoding the entry's JSON with the application's mapper: the second ceiling. */
	private static Harness.Case rawGetAndDecode(ConfigurableApplicationContext context) {
		RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
		StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
		JsonMapper mapper = context.getBean(JsonCodec.class).mapper();
		return new Harness.Case(DECODE_CEILING, "", (thread) -> {
			String rawKey = rawKey(caches, stored(caches, PLAIN, thread));
			return (i) -> {
				String raw = template.opsForValue().get(rawKey);
				// the entry is "rp1|<soft expiry>|<compute ms>|V|<json>": the JSON starts after the fourth '|'
				return raw != null && mapper.readValue(raw.substring(jsonStart(raw)), Product.class) != null;
			};
		});
	}

	private static Harness.Case noNearHit(RedisCacheTemplate caches) {
		return new Harness.Case("redis-patterns get(key), no near cache (one GET)", "", (thread) -> {
			String key = stored(caches, PLAIN, thread);
			return (i) -> caches.get(PLAIN, key, Product.class) != null;
		});
	}

	private static String rawKey(RedisCacheTemplate caches, String key) {
		return caches.keyNamespace() + PLAIN + ":{" + PLAIN + "%3A" + key + "}";
	}

	private static int jsonStart(String raw) {
		int at = -1;
		for (int bar = 0; bar < 4; bar++) {
			at = raw.indexOf('|', at + 1);
			if (at < 0) {
				throw new IllegalStateException("Entry is not in the format the benchmark expects: " + raw);
			}
		}
		return at + 1;
	}

	/**
	 * The ceiling table, then each row's ratio to the second ceiling (GET + decode): the row's ratio to the raw
	 * {@code GET} divided by the second ceiling's, both from windows that each followed a raw {@code GET} window.
	 */
	private static String table(String title, List<Harness.CeilingResult> results) {
		StringBuilder out = new StringBuilder(Harness.ceilingTable(title, results));
		Harness.CeilingResult decode = results.stream().filter((r) -> r.contender().name().equals(DECODE_CEILING))
			.findFirst().orElseThrow();
		out.append("\n| contender | ratio to GET, 1 / 8 threads | ratio to GET + decode, 1 / 8 threads "
				+ "| µs per op, 1 thread | per-round ratios to GET + decode, 1 thread / 8 threads |\n");
		out.append("| --- | ---: | ---: | ---: | --- |\n");
		for (Harness.CeilingResult result : results) {
			List<String> one = new ArrayList<>();
			List<String> eight = new ArrayList<>();
			for (int i = 0; i < result.oneRoundRatios().size(); i++) {
				one.add(String.format(Locale.ROOT, "%.2f", result.oneRoundRatios().get(i) / decode.oneRoundRatios().get(i)));
				eight.add(String.format(Locale.ROOT, "%.2f", result.eightRoundRatios().get(i) / decode.eightRoundRatios().get(i)));
			}
			out.append(String.format(Locale.ROOT, "| %s | %.2f / %.2f | %.2f / %.2f | %.1f | %s / %s |%n",
					result.contender().name(), result.oneRatio(), result.eightRatio(), result.oneRatio() / decode.oneRatio(),
					result.eightRatio() / decode.eightRatio(), 1e6 / result.oneOps(), String.join(" ", one),
					String.join(" ", eight)));
		}
		return out.toString();
	}

	/** Stores one thread's entry (with the cache's default TTL) and returns its key. */
	private static String stored(CacheTemplate caches, String cache, int thread) {
		String key = "p" + thread;
		caches.put(cache, key, new Product(thread, "product " + thread, 9.99));
		return key;
	}

}
