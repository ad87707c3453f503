package io.redispatterns.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
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
			String table = table("Cache hit without near cache, ratio to the raw ceilings (GET; GET + decode)",
					Harness.measureAgainstCeiling(rawGet(context), cases, counter));
			List<Harness.Case> all = new ArrayList<>();
			all.add(rawGet(context));
			all.addAll(cases);
			return table + pairedBlocks(all);
		}
	}

	/**
	 * One thread, {@code bench.paired-rounds} rounds (default 200) of {@code bench.paired-block} hits (default 100)
	 * of each contender in turn (the raw {@code GET} first, the {@code GET} + decode ceiling second): per round the mean µs per hit of each block minus the raw {@code GET} block of the
	 * same round, median over the rounds. Short blocks side by side are far less disturbed by a loaded machine than
	 * windows of seconds.
	 */
	private static String pairedBlocks(List<Harness.Case> contenders) {
		int rounds = Integer.getInteger("bench.paired-rounds", 200);
		int block = Integer.getInteger("bench.paired-block", 100);
		System.out.println("  paired blocks: " + rounds + " rounds of " + block + " hits per contender");
		List<Harness.Op> ops = new ArrayList<>();
		for (Harness.Case contender : contenders) {
			ops.add(contender.ops().forThread(9000));
		}
		double[][] micros = new double[contenders.size()][rounds];
		try {
			for (int round = -rounds / 10; round < rounds; round++) {
				for (int c = 0; c < ops.size(); c++) {
					long start = System.nanoTime();
					for (int i = 0; i < block; i++) {
						ops.get(c).run(i);
					}
					if (round >= 0) {
						micros[c][round] = (System.nanoTime() - start) / 1000.0 / block;
					}
				}
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Paired blocks failed", ex);
		}
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nPaired blocks, 1 thread: %d rounds of %d hits "
				+ "per contender in turn (the first tenth as warm-up)%n%n", rounds, block));
		out.append("| contender | µs per hit (median block) | µs more than the raw GET (median of paired differences, "
				+ "p25 / p75) | ratio to GET | ratio to GET + decode |\n| --- | ---: | --- | ---: | ---: |\n");
		double base = median(micros[0]);
		double[][] sorted = new double[contenders.size()][];
		for (int c = 0; c < contenders.size(); c++) {
			double[] diff = new double[rounds];
			for (int r = 0; r < rounds; r++) {
				diff[r] = micros[c][r] - micros[0][r];
			}
			Arrays.sort(diff);
			sorted[c] = diff;
		}
		// the second contender is the GET + decode ceiling; ratios from the raw GET's median plus each median difference
		double decode = base + sorted[1][rounds / 2];
		for (int c = 0; c < contenders.size(); c++) {
			double[] diff = sorted[c];
			out.append(String.format(Locale.ROOT, "| %s | %.1f | %+.2f (%+.2f / %+.2f) | %.3f | %.3f |%n",
					contenders.get(c).name(), median(micros[c]), diff[rounds / 2], diff[rounds / 4], diff[3 * rounds / 4],
					base / (base + diff[rounds / 2]), decode / (base + diff[rounds / 2])));
		}
		return out.toString();
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
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
