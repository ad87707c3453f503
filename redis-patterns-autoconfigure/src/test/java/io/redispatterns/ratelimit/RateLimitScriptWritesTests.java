package io.redispatterns.ratelimit;

import java.util.List;
import java.util.Map;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a decision writes, counted by Redis ({@code INFO commandstats}): a client charged again
 * while its key's TTL still covers the new state gets no {@code PEXPIRE} (the window algorithms'
 * keys expire with their window, the token bucket's and GCRA's keys are renewed with up to a
 * second to spare), and a charge that needs the key to live longer still renews it.
 */
@WithRedis(shared = false)
class RateLimitScriptWritesTests {

	private static final int DECISIONS = 20;

	@Test
	void aClientChargedAgainWithinItsKeysLifetimeIsNotGivenANewTtl(StandaloneRedis redis) {
		RateLimitTestContexts.runner(redis, "redis-patterns.rate-limit.policies.fixed.algorithm=fixed-window",
				"redis-patterns.rate-limit.policies.fixed.limit=1000000",
				"redis-patterns.rate-limit.policies.fixed.window=1h",
				"redis-patterns.rate-limit.policies.counter.algorithm=sliding-window-counter",
				"redis-patterns.rate-limit.policies.counter.limit=1000000",
				"redis-patterns.rate-limit.policies.counter.window=1h",
				"redis-patterns.rate-limit.policies.bucket.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.bucket.capacity=1000000",
				"redis-patterns.rate-limit.policies.bucket.refill-rate=1000000/1s",
				"redis-patterns.rate-limit.policies.gcra.limit=1000000",
				"redis-patterns.rate-limit.policies.gcra.window=1s", "redis-patterns.rate-limit.timeout=5s")
			.run((context) -> {
				RateLimiter limiter = context.getBean(RateLimiter.class);
				RedisKeys keys = context.getBean(RedisKeys.class);
				RedisNode node = redis.node();
				for (String policy : List.of("fixed", "counter", "bucket", "gcra")) {
					assertThat(limiter.tryAcquire(policy, "client").isAllowed()).isTrue();
					CommandCalls before = CommandCalls.of(node);
					for (int i = 0; i < DECISIONS; i++) {
						assertThat(limiter.tryAcquire(policy, "client").isAllowed()).isTrue();
					}
					Map<String, Long> delta = CommandCalls.of(node).since(before).asMap();
					assertThat(delta.get("hset")).as("%s: HSETs", policy).isEqualTo(DECISIONS);
					// the first decision set a TTL that covers the next ones (more than one PEXPIRE
					// only if the decisions took over a second each)
					assertThat(delta.getOrDefault("pexpire", 0L)).as("%s: PEXPIREs in %s", policy, delta)
						.isLessThan(DECISIONS / 2);
					long ttl = node.execute((commands) -> commands.pttl(keys.tagged("rl", policy, "client")));
					assertThat(ttl).as("%s: the key still has a TTL", policy).isPositive();
				}
			});
	}

	@Test
	void aChargeThatTheKeyMustOutliveRenewsItsTtl(StandaloneRedis redis) {
		RateLimitTestContexts.runner(redis, "redis-patterns.rate-limit.policies.gcra.limit=1000",
				"redis-patterns.rate-limit.policies.gcra.window=1m",
				"redis-patterns.rate-limit.policies.bucket.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.bucket.capacity=1000",
				"redis-patterns.rate-limit.policies.bucket.refill-rate=1000/1m", "redis-patterns.rate-limit.timeout=5s")
			.run((context) -> {
				RateLimiter limiter = context.getBean(RateLimiter.class);
				RedisKeys keys = context.getBean(RedisKeys.class);
				RedisNode node = redis.node();
				for (String policy : List.of("gcra", "bucket")) {
					String key = keys.tagged("rl", policy, "client");
					// one unit: the state matters for 60 ms, the key gets a TTL of about a second
					assertThat(limiter.tryAcquire(policy, "client").isAllowed()).isTrue();
					assertThat(node.<Long>execute((commands) -> commands.pttl(key))).as(policy).isLessThanOrEqualTo(1_100);
					// 500 more units: the state matters for the next 30 s, so the TTL must cover them
					assertThat(limiter.tryAcquire(policy, "client", 500).isAllowed()).isTrue();
					assertThat(node.<Long>execute((commands) -> commands.pttl(key))).as(policy)
						.isGreaterThanOrEqualTo(29_000)
						.isLessThanOrEqualTo(31_100);
					RateLimitDecision next = limiter.tryAcquire(policy, "client", 600);
					assertThat(next.isAllowed()).as("%s: 501 of 1000 used, 600 more", policy).isFalse();
				}
			});
	}

}
