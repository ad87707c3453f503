package io.redispatterns.ratelimit;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limiting on a 3-master Cluster: every limit of one client lives in the client's hash-tag
 * slot, and limits keyed by different clients in one call (per-IP plus global) are decided
 * without a cross-slot error.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
class RateLimitClusterTests {

	@Test
	void limitsOfOneClientShareItsSlotAndDifferentClientKeysAreDecidedAllOrNone(ClusterRedis redis) {
		RateLimitTestContexts.runner(redis, "redis-patterns.rate-limit.timeout=5s").run((context) -> {
			RateLimiter limiter = context.getBean(RateLimiter.class);
			RedisKeys keys = context.getBean(RedisKeys.class);
			limiter.updatePolicy(RateLimitPolicy.slidingWindow("per-ip", 2, Duration.ofHours(1)));
			limiter.updatePolicy(RateLimitPolicy.tokenBucket("per-ip-burst", 5, RefillRate.parse("5/1h")));
			limiter.updatePolicy(RateLimitPolicy.gcra("everyone", 3, Duration.ofHours(1)));
			String ip = "203.0.113." + (System.nanoTime() % 200);
			String a = keys.tagged("rl", "per-ip", ip);
			String b = keys.tagged("rl", "per-ip-burst", ip);
			assertThat(SlotHash.getSlot(a)).isEqualTo(SlotHash.getSlot(b));
			List<RateLimitRequest> sameClient = List.of(RateLimitRequest.of("per-ip", ip),
					RateLimitRequest.of("per-ip-burst", ip));
			assertThat(limiter.tryAcquire(sameClient).outcome()).isEqualTo(RateLimitDecision.Outcome.ALLOWED);
			String global = "global-" + System.nanoTime();
			List<RateLimitRequest> mixed = List.of(RateLimitRequest.of("per-ip-burst", ip),
					RateLimitRequest.of("everyone", global));
			for (int i = 0; i < 3; i++) {
				assertThat(limiter.tryAcquire(mixed).outcome()).as("decision %d", i)
					.isEqualTo(RateLimitDecision.Outcome.ALLOWED);
			}
			RateLimitDecision fourth = limiter.tryAcquire(mixed);
			assertThat(fourth.outcome()).isEqualTo(RateLimitDecision.Outcome.REJECTED);
			assertThat(fourth.violatedPolicies()).containsExactly("everyone");
			// the per-IP bucket (5 tokens, 4 taken by the allowed calls) was not charged by the rejected call
			assertThat(fourth.limits()).filteredOn((limit) -> limit.policyName().equals("per-ip-burst"))
				.singleElement()
				.satisfies((limit) -> assertThat(limit.remaining()).isEqualTo(1));
			assertThat(limiter.tryAcquire("per-ip-burst", ip).outcome()).as("the fifth token is still there")
				.isEqualTo(RateLimitDecision.Outcome.ALLOWED);
			assertThat(limiter.tryAcquire("per-ip-burst", ip).outcome()).isEqualTo(RateLimitDecision.Outcome.REJECTED);
		});
	}

}
