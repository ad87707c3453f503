package io.redispatterns.ratelimit;

import java.time.Duration;

import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rate-limit decision whose reply is lost and that Lettuce re-sends. The decision script is not
 * idempotent: the measured, documented behaviour is that the re-sent decision charges the client a
 * second time (one request costs two units). It errs on the strict side and happens only when a
 * connection drops between a decision and its reply.
 */
@WithRedis
class RateLimitReplayTests {

	RedisDeployment redis;

	@Test
	void aReSentFixedWindowDecisionChargesTheClientTwice() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			// a decision timeout long enough for Lettuce to reconnect and re-send (the default 200ms
			// would fail open first)
			RateLimitTestContexts.runner(proxy::connectionDetails, "redis-patterns.rate-limit.timeout=5s").run((context) -> {
					RateLimiter limiter = context.getBean(RateLimiter.class);
					limiter.updatePolicy(RateLimitPolicy.fixedWindow("replayed", 10, Duration.ofHours(1)));
					// loads the script, so the faulted command is the decision itself
					assertThat(limiter.tryAcquire("replayed", "warm-up").isAllowed()).isTrue();
					proxy.dropReplyOnce("replayclient", RedisProxy.Close.FIN);

					RateLimitDecision decision = limiter.tryAcquire("replayed", "replayclient");

					assertThat(proxy.forwardedCount("replayclient")).as("the decision ran twice").isEqualTo(2);
					assertThat(decision.isAllowed()).isTrue();
					assertThat(decision.mostRestrictive().remaining()).as("one request, two units charged").isEqualTo(8);
					RateLimitDecision next = limiter.tryAcquire("replayed", "replayclient");
					assertThat(next.mostRestrictive().remaining()).isEqualTo(7);
				});
		}
	}

}
