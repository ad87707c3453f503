package io.redispatterns.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters of every configured policy exist at zero from start-up, before the first decision, and so do
 * those of a policy added at runtime.
 */
@WithRedis
class RateLimitMetersAtZeroTests {

	RedisDeployment redis;

	@Test
	void configuredAndAddedPoliciesHaveTheirMetersAtZero() {
		RateLimitTestContexts
			.runner(this.redis, "redis-patterns.rate-limit.policies.quotes.limit=10",
					"redis-patterns.rate-limit.policies.quotes.window=1m")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("redis.patterns.ratelimit.decisions").tag("policy", "quotes").counters())
					.extracting((counter) -> counter.getId().getTag("result"))
					.containsExactlyInAnyOrder("allowed", "rejected", "degraded");
				assertThat(registry.get("redis.patterns.ratelimit.failures").counters())
					.extracting((counter) -> counter.getId().getTag("reason"))
					.containsExactlyInAnyOrder("error", "timeout", "circuit-open");
				RateLimiter limiter = context.getBean(RateLimiter.class);
				limiter.updatePolicy(RateLimitPolicy.gcra("bursts", 5, java.time.Duration.ofSeconds(1)));
				assertThat(registry.get("redis.patterns.ratelimit.decisions").tag("policy", "bursts").tag("result", "rejected")
					.counter().count()).isZero();
			});
	}

}
