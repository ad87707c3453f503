package io.redispatterns.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One round trip per decision, counted by Redis itself: {@code INFO commandstats} before and after
 * 1,000 decisions per algorithm (and 1,000 two-limit decisions), half of them allowed and half
 * refused (limit 250 per day for each of two clients, 500 attempts each). The client-issued commands are
 * {@code EVALSHA} (or {@code EVAL} after {@code NOSCRIPT}); everything else in the stats ran inside
 * the script. Latency from the decision timer is printed, not asserted.
 */
@WithRedis(shared = false)
class RateLimitRoundTripTests {

	private static final int DECISIONS = 1000;

	@Test
	void everyDecisionIsOneEvalshaRoundTrip(StandaloneRedis redis) {
		RateLimitTestContexts.runner(redis,
				"redis-patterns.rate-limit.policies.fixed.algorithm=fixed-window",
				"redis-patterns.rate-limit.policies.fixed.limit=250",
				"redis-patterns.rate-limit.policies.fixed.window=1d",
				"redis-patterns.rate-limit.policies.log.algorithm=sliding-window",
				"redis-patterns.rate-limit.policies.log.limit=250",
				"redis-patterns.rate-limit.policies.log.window=1d",
				"redis-patterns.rate-limit.policies.counter.algorithm=sliding-window-counter",
				"redis-patterns.rate-limit.policies.counter.limit=250",
				"redis-patterns.rate-limit.policies.counter.window=1d",
				"redis-patterns.rate-limit.policies.bucket.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.bucket.capacity=250",
				"redis-patterns.rate-limit.policies.bucket.refill-rate=250/1d",
				"redis-patterns.rate-limit.policies.gcra.limit=250",
				"redis-patterns.rate-limit.policies.gcra.window=1d",
				"redis-patterns.rate-limit.policies.warm.limit=100000",
				"redis-patterns.rate-limit.policies.warm.window=1h",
				"redis-patterns.rate-limit.timeout=5s").run((context) -> {
					RateLimiter limiter = context.getBean(RateLimiter.class);
					// JIT warm-up on a policy of its own, so that the first algorithm's latency is comparable
					for (int i = 0; i < 2000; i++) {
						limiter.tryAcquire("warm", "warm-up-" + (i % 10));
					}
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					RedisNode node = redis.node();
					for (String policy : List.of("fixed", "log", "counter", "bucket", "gcra")) {
						limiter.tryAcquire(policy, "warm-up");
						CommandCalls before = CommandCalls.of(node);
						int allowed = 0;
						for (int i = 0; i < DECISIONS; i++) {
							// half allowed, half rejected: both paths are one round trip
							if (limiter.tryAcquire(policy, "client-" + (i % 2)).isAllowed()) {
								allowed++;
							}
						}
						Map<String, Long> delta = CommandCalls.of(node).since(before).asMap();
						long roundTrips = delta.getOrDefault("evalsha", 0L) + delta.getOrDefault("eval", 0L);
						long inScript = delta.entrySet().stream()
							.filter((e) -> !e.getKey().equals("evalsha") && !e.getKey().equals("eval")
									&& !e.getKey().equals("info"))
							.mapToLong(Map.Entry::getValue)
							.sum();
						Timer timer = registry.find("redis.patterns.ratelimit.latency").tag("policy", policy).timer();
						System.out.printf(
								"[round-trips] %-7s %d decisions: %d EVALSHA/EVAL = %.3f round trips per decision;"
										+ " commands run inside the script per decision: %.2f %s; latency mean %.3f ms, max %.3f ms%n",
								policy, DECISIONS, roundTrips, roundTrips / (double) DECISIONS,
								inScript / (double) DECISIONS, delta, timer.mean(TimeUnit.MILLISECONDS),
								timer.max(TimeUnit.MILLISECONDS));
						assertThat(roundTrips).as(policy).isEqualTo(DECISIONS);
						assertThat(allowed).as("%s: allowed of %d (limit 250 per client, no refill within a day)",
								policy, DECISIONS).isEqualTo(DECISIONS / 2);
						assertThat(delta.keySet()).as("client commands besides the script")
							.allMatch((command) -> !command.equals("get") && !command.equals("multi")
									&& !command.equals("watch"));
					}
					// warm-up loads the two-algorithm script (NOSCRIPT, then EVAL) once
					limiter.tryAcquire(List.of(RateLimitRequest.of("gcra", "warm-up"), RateLimitRequest.of("log", "warm-up")));
					CommandCalls before = CommandCalls.of(node);
					int allowed = 0;
					for (int i = 0; i < DECISIONS; i++) {
						if (limiter.tryAcquire(List.of(RateLimitRequest.of("gcra", "multi"), RateLimitRequest.of("log", "multi")))
							.isAllowed()) {
							allowed++;
						}
					}
					Map<String, Long> delta = CommandCalls.of(node).since(before).asMap();
					long roundTrips = delta.getOrDefault("evalsha", 0L) + delta.getOrDefault("eval", 0L);
					System.out.printf("[round-trips] two limits (gcra + sliding-window): %.3f round trips per decision%n",
							roundTrips / (double) DECISIONS);
					assertThat(roundTrips).isEqualTo(DECISIONS);
					assertThat(allowed).as("two-limit decisions allowed (limit 250)").isEqualTo(250);
				});
	}

	@Test
	void slidingWindowChargesACostWithVariadicZadds(StandaloneRedis redis) {
		RateLimitTestContexts.runner(redis, "redis-patterns.rate-limit.policies.log.algorithm=sliding-window",
				"redis-patterns.rate-limit.policies.log.limit=10000", "redis-patterns.rate-limit.policies.log.window=1h",
				"redis-patterns.rate-limit.timeout=5s").run((context) -> {
					RateLimiter limiter = context.getBean(RateLimiter.class);
					RedisNode node = redis.node();
					limiter.tryAcquire("log", "warm-up");
					CommandCalls before = CommandCalls.of(node);
					assertThat(limiter.tryAcquire("log", "small", 500).isAllowed()).isTrue();
					assertThat(CommandCalls.of(node).since(before).asMap().get("zadd")).as("ZADDs for cost 500").isEqualTo(1L);
					before = CommandCalls.of(node);
					assertThat(limiter.tryAcquire("log", "full", 10_000).isAllowed()).isTrue();
					// 3,000 units per ZADD (Lua's unpack limit), not one ZADD per unit
					assertThat(CommandCalls.of(node).since(before).asMap().get("zadd")).as("ZADDs for cost 10,000").isEqualTo(4L);
					String key = context.getBean(io.redispatterns.core.RedisKeys.class).tagged("rl", "log", "full");
					assertThat(node.<Long>execute((commands) -> commands.zcard(key))).isEqualTo(10_000L);
					assertThat(limiter.tryAcquire("log", "full").isAllowed()).isFalse();
					assertThat(node.<Long>execute((commands) -> commands.zcard(key))).isEqualTo(10_000L);
				});
	}

}
