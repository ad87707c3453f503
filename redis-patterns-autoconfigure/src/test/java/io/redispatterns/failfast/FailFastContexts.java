package io.redispatterns.failfast;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.actuate.autoconfigure.RedisPatternsHealthAutoConfiguration;
import io.redispatterns.actuate.autoconfigure.RedisServerHealthAutoConfiguration;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.core.autoconfigure.RedisClientDefaultsAutoConfiguration;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.pubsub.autoconfigure.PubSubAutoConfiguration;
import io.redispatterns.ratelimit.autoconfigure.RateLimitAutoConfiguration;
import io.redispatterns.session.autoconfigure.RedisPatternsSessionAutoConfiguration;
import io.redispatterns.session.autoconfigure.SessionIntegrationAutoConfiguration;
import io.redispatterns.test.RedisProxy;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every pattern (but the listener containers) wired the way an application gets it, with the
 * library's client defaults, talking to Redis through a fault-injecting proxy.
 */
final class FailFastContexts {

	private FailFastContexts() {
	}

	static ApplicationContextRunner runner(RedisProxy proxy) {
		return new ApplicationContextRunner().withBean(DataRedisConnectionDetails.class, proxy::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withConfiguration(AutoConfigurations.of(RedisClientDefaultsAutoConfiguration.class,
					DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RateLimitAutoConfiguration.class,
					LockAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class,
					RedisPatternsSessionAutoConfiguration.class, SessionIntegrationAutoConfiguration.class,
					PubSubAutoConfiguration.class, RedisPatternsHealthAutoConfiguration.class,
					RedisServerHealthAutoConfiguration.class))
			.withPropertyValues("redis-patterns.key-prefix=failfast",
					// the limiter's own 200 ms default can pass on a loaded machine while Redis is healthy;
					// these tests are about Redis faults, which the command timeout bounds
					"redis-patterns.rate-limit.timeout=2s",
					"redis-patterns.rate-limit.policies.open.limit=100",
					"redis-patterns.rate-limit.policies.open.window=1m",
					"redis-patterns.rate-limit.policies.closed.limit=100",
					"redis-patterns.rate-limit.policies.closed.window=1m",
					"redis-patterns.rate-limit.policies.closed.failure-mode=fail-closed");
	}

	/** Polls a condition (each poll is one real operation) until it holds, failing after a generous bound. */
	static void awaitUntil(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Timed out waiting until " + what);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	/** Milliseconds since {@code startNanos}, for the printed measurements. */
	static double millisSince(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e6;
	}

}
