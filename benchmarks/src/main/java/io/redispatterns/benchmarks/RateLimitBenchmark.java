package io.redispatterns.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.RefillRate;
import io.redispatterns.test.StandaloneRedis;
import org.redisson.Redisson;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Rate limiting: redis-patterns {@link RateLimiter} (GCRA, token bucket, fixed window) against a
 * Bucket4j {@code LettuceBasedProxyManager} token bucket and a hand-rolled {@code INCR} +
 * {@code EXPIRE} fixed window. Every thread limits its own key (one client each).
 */
@SuppressWarnings("rawtypes")
final class RateLimitBenchmark {

	private RateLimitBenchmark() {
	}

	static String run(StandaloneRedis redis, CommandCounter counter) {
		StringBuilder tables = new StringBuilder();
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			RateLimiter limiter = context.getBean(RateLimiter.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			RedisClient bucket4jClient = RedisClient.create(redis.node().redisUri());
			try {
				LettuceBasedProxyManager<byte[]> buckets = Bucket4jLettuce.casBasedBuilder(bucket4jClient)
					.expirationAfterWrite(
							ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
					.build();
				// Limits no run reaches: every request is allowed, the cost measured is the decision itself.
				tables.append(Harness.table("Rate limiting, every request allowed (limit 1,000,000 per second per key)",
						measure(limiter, template, buckets, counter, "allow", 1_000_000, Duration.ofSeconds(1))));
				// 10 per hour: after the first 10 requests of each key, every request is refused.
				tables.append(Harness.table("Rate limiting, almost every request rejected (limit 10 per hour per key)",
						measure(limiter, template, buckets, counter, "reject", 10, Duration.ofHours(1))));
				tables.append(Harness.table("Where a decision's time goes: one script like the GCRA one, sent two ways",
						scriptCost(limiter, template,
								new ReactiveStringRedisTemplate(context.getBean(ReactiveRedisConnectionFactory.class)),
								counter)));
			}
			finally {
				bucket4jClient.shutdown();
			}
		}
		return tables.toString();
	}

	private static List<Harness.Result> measure(RateLimiter limiter, StringRedisTemplate template,
			LettuceBasedProxyManager<byte[]> buckets, CommandCounter counter, String run, long limit, Duration window) {
		String gcra = "rp-gcra-" + run;
		String tokenBucket = "rp-token-bucket-" + run;
		String fixedWindow = "rp-fixed-window-" + run;
		limiter.updatePolicy(RateLimitPolicy.gcra(gcra, limit, window));
		limiter.updatePolicy(RateLimitPolicy.tokenBucket(tokenBucket, limit, new RefillRate(limit, window)));
		limiter.updatePolicy(RateLimitPolicy.fixedWindow(fixedWindow, limit, window));
		BucketConfiguration configuration = BucketConfiguration.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(limit).refillGreedy(limit, window))
			.build();
		String gcraRow = "redis-patterns RateLimiter, gcra";
		String tokenBucketRow = "redis-patterns RateLimiter, token-bucket";
		String fixedWindowRow = "redis-patterns RateLimiter, fixed-window";
		List<Harness.Case> cases = List.of(
				new Harness.Case(gcraRow, gcraRow, (thread) -> {
					String key = "client-" + thread;
					return (i) -> allowed(limiter.tryAcquire(gcra, key));
				}),
				new Harness.Case(tokenBucketRow, tokenBucketRow, (thread) -> {
					String key = "client-" + thread;
					return (i) -> allowed(limiter.tryAcquire(tokenBucket, key));
				}),
				new Harness.Case(fixedWindowRow, fixedWindowRow, (thread) -> {
					String key = "client-" + thread;
					return (i) -> allowed(limiter.tryAcquire(fixedWindow, key));
				}),
				new Harness.Case("Bucket4j LettuceBasedProxyManager, token bucket", tokenBucketRow, (thread) -> {
					Bucket bucket = buckets.builder()
						.build(("bucket4j:" + run + ":client-" + thread).getBytes(StandardCharsets.UTF_8), () -> configuration);
					return (i) -> bucket.tryConsume(1);
				}),
				new Harness.Case("hand-rolled fixed window (INCR, then EXPIRE)", fixedWindowRow, (thread) -> {
					String key = "hand:" + run + ":client-" + thread;
					long windowMillis = window.toMillis();
					return (i) -> {
						// The common hand-written version: a counter per window, EXPIRE after INCR.
						long start = System.currentTimeMillis() / windowMillis * windowMillis;
						String windowKey = key + ":" + start;
						Long count = template.opsForValue().increment(windowKey);
						template.expire(windowKey, window);
						return count != null && count <= limit;
					};
				}));
		return Harness.measureAll(cases, counter);
	}

	/**
	 * Token bucket and GCRA decisions (every request allowed), at 1,000,000 and at 10^9 units per
	 * second, against the ceiling of one decision: {@code EVALSHA} of a trivial script, and next to
	 * Bucket4j's token bucket.
	 */
	// @formatter:off (the script is indented with spaces)
	/**
	 * Spring Cloud Gateway's {@code request_rate_limiter.lua} (token bucket, server {@code TIME},
	 * two keys), as the gateway's {@code RedisRateLimiter} sends it: ARGV rate, capacity, unused, requested.
	 */
	static final RedisScript<List> GATEWAY_SCRIPT = RedisScript.of("""
			local tokens_key = KEYS[1]
			local timestamp_key = KEYS[2]
			local rate = tonumber(ARGV[1])
			local capacity = tonumber(ARGV[2])
			local now = redis.call('TIME')[1]
			local requested = tonumber(ARGV[4])
			local fill_time = capacity/rate
			local ttl = math.floor(fill_time*2)
			local last_tokens = tonumber(redis.call("get", tokens_key))
			if last_tokens == nil then
			  last_tokens = capacity
			end
			local last_refreshed = tonumber(redis.call("get", timestamp_key))
			if last_refreshed == nil then
			  last_refreshed = 0
			end
			local delta = math.max(0, now-last_refreshed)
			local filled_tokens = math.min(capacity, last_tokens+(delta*rate))
			local allowed = filled_tokens >= requested
			local new_tokens = filled_tokens
			local allowed_num = 0
			if allowed then
			  new_tokens = filled_tokens - requested
			  allowed_num = 1
			end
			if ttl > 0 then
			  redis.call("setex", tokens_key, ttl, new_tokens)
			  redis.call("setex", timestamp_key, ttl, now)
			end
			return { allowed_num, new_tokens }
			""", List.class);
	// @formatter:on

	static String ceiling(StandaloneRedis redis, CommandCounter counter) {
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			RateLimiter limiter = context.getBean(RateLimiter.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			RedisClient bucket4jClient = RedisClient.create(redis.node().redisUri());
			Config redissonConfig = new Config();
			redissonConfig.useSingleServer().setAddress(redis.node().uri());
			RedissonClient redisson = Redisson.create(redissonConfig);
			try {
				LettuceBasedProxyManager<byte[]> buckets = Bucket4jLettuce.casBasedBuilder(bucket4jClient)
					.expirationAfterWrite(
							ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
					.build();
				Duration second = Duration.ofSeconds(1);
				limiter.updatePolicy(RateLimitPolicy.gcra("ceiling-gcra", 1_000_000, second));
				limiter.updatePolicy(RateLimitPolicy.tokenBucket("ceiling-bucket", 1_000_000, new RefillRate(1_000_000, second)));
				limiter.updatePolicy(RateLimitPolicy.gcra("ceiling-gcra-1e9", 1_000_000_000L, second));
				limiter.updatePolicy(RateLimitPolicy.tokenBucket("ceiling-bucket-1e9", 1_000_000_000L,
						new RefillRate(1_000_000_000L, second)));
				BucketConfiguration configuration = BucketConfiguration.builder()
					.addLimit((bandwidth) -> bandwidth.capacity(1_000_000).refillGreedy(1_000_000, second))
					.build();
				RedisScript<Long> trivial = RedisScript.of("return 1", Long.class);
				Harness.Case ceiling = new Harness.Case("ceiling: EVALSHA of a trivial script", "", (thread) -> {
					List<String> keys = List.of("trivial:client-" + thread);
					return (i) -> template.execute(trivial, keys) == 1L;
				});
				List<Harness.Case> cases = new ArrayList<>();
				// -Dbench.ratelimit-all=true adds the 10^9/s rows and Bucket4j (longer run)
				boolean all = Boolean.getBoolean("bench.ratelimit-all");
				List<String> policies = all
						? List.of("ceiling-gcra", "ceiling-bucket", "ceiling-gcra-1e9", "ceiling-bucket-1e9")
						: List.of("ceiling-gcra", "ceiling-bucket");
				for (String policy : policies) {
					String label = "redis-patterns RateLimiter, " + (policy.contains("gcra") ? "gcra" : "token-bucket")
							+ (policy.endsWith("1e9") ? ", 10^9/s" : ", 10^6/s");
					cases.add(new Harness.Case(label, "", (thread) -> {
						String key = "client-" + thread;
						return (i) -> allowed(limiter.tryAcquire(policy, key));
					}));
				}
				limiter.updatePolicy(RateLimitPolicy.slidingWindowCounter("ceiling-sliding", 1_000_000, second));
				cases.add(new Harness.Case("redis-patterns RateLimiter, sliding-window-counter, 10^6/s", "", (thread) -> {
					String key = "client-" + thread;
					return (i) -> allowed(limiter.tryAcquire("ceiling-sliding", key));
				}));
				cases.add(new Harness.Case("Spring Cloud Gateway request_rate_limiter.lua (token bucket), 10^6/s, "
						+ "StringRedisTemplate.execute", "", (thread) -> {
					List<String> keys = List.of("request_rate_limiter.{client-" + thread + "}.tokens",
							"request_rate_limiter.{client-" + thread + "}.timestamp");
					return (i) -> {
						List<Long> result = template.execute(GATEWAY_SCRIPT, keys, "1000000", "1000000", "", "1");
						return result != null && result.get(0) == 1L;
					};
				}));
				cases.add(new Harness.Case("Redisson RRateLimiter.tryAcquire(), 10^6/s", "", (thread) -> {
					RRateLimiter rateLimiter = redisson.getRateLimiter("redisson:ceiling:client-" + thread);
					rateLimiter.trySetRate(RateType.OVERALL, 1_000_000, second);
					return (i) -> rateLimiter.tryAcquire();
				}));
				if (all) {
					cases.add(new Harness.Case("Bucket4j LettuceBasedProxyManager, token bucket, 10^6/s", "", (thread) -> {
						Bucket bucket = buckets.builder()
							.build(("bucket4j:ceiling:client-" + thread).getBytes(StandardCharsets.UTF_8),
									() -> configuration);
						return (i) -> bucket.tryConsume(1);
					}));
				}
				return Harness.ceilingTable("Rate limiting, token bucket and GCRA, every request allowed, ratio to the "
						+ "raw ceiling (EVALSHA of a trivial script)", Harness.measureAgainstCeiling(ceiling, cases, counter));
			}
			finally {
				bucket4jClient.shutdown();
				redisson.shutdown();
			}
		}
	}

	/**
	 * The same work as a GCRA decision (TIME, HMGET, HSET, PEXPIRE in one script) sent with a blocking
	 * {@code StringRedisTemplate.execute} and the way the limiter sends it with Lettuce (reactive
	 * {@code execute(...).collectList().timeout(...).block()}), to separate the script from the client path.
	 */
	private static List<Harness.Result> scriptCost(RateLimiter limiter, StringRedisTemplate template,
			ReactiveStringRedisTemplate reactive, CommandCounter counter) {
		RedisScript<List> script = RedisScript.of("local t = redis.call('TIME') "
				+ "local tat = redis.call('HMGET', KEYS[1], 'tat') "
				+ "redis.call('HSET', KEYS[1], 'tat', t[1] * 1000000 + t[2]) "
				+ "redis.call('PEXPIRE', KEYS[1], 2000) return { 1, 999, 0 }", List.class);
		String gcra = "rp-gcra-script";
		limiter.updatePolicy(RateLimitPolicy.gcra(gcra, 1_000_000, Duration.ofSeconds(1)));
		String gcraRow = "redis-patterns RateLimiter, gcra (again)";
		Duration timeout = Duration.ofSeconds(5);
		List<Harness.Case> cases = List.of(new Harness.Case(gcraRow, gcraRow, (thread) -> {
			String key = "client-" + thread;
			return (i) -> allowed(limiter.tryAcquire(gcra, key));
		}), new Harness.Case("similar script, StringRedisTemplate.execute (blocking)", gcraRow, (thread) -> {
			List<String> keys = List.of("script:sync:client-" + thread);
			return (i) -> template.execute(script, keys).size() == 3;
		}), new Harness.Case("similar script, reactive execute + collectList + timeout + block", gcraRow, (thread) -> {
			List<String> keys = List.of("script:reactive:client-" + thread);
			return (i) -> {
				List<List> result = reactive.execute(script, keys, List.of()).collectList().timeout(timeout).block();
				return result != null && !result.isEmpty();
			};
		}));
		return Harness.measureAll(cases, counter);
	}

	private static boolean allowed(RateLimitDecision decision) {
		return switch (decision.outcome()) {
			case ALLOWED -> true;
			case REJECTED -> false;
			// Would make the limiter look faster than it is: report it as an error instead.
			case DEGRADED, UNAVAILABLE -> throw new IllegalStateException("Decision without Redis: " + decision.outcome());
		};
	}

}
