package io.redispatterns.cache;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache's fenced write whose reply is lost and that Lettuce re-sends: the second run finds the
 * loader lock still its own (the release comes after the reply) and writes the same entry again, so
 * the entry is stored once, with the same value, and the lock is released.
 */
@WithRedis(topology = RedisTopology.STANDALONE)
class CacheReplayTests {

	RedisDeployment redis;

	private static ApplicationContextRunner runner(RedisProxy proxy) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, LockAutoConfiguration.class,
					RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, proxy::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("redis-patterns.key-prefix=replay", "redis-patterns.cache.ttl-jitter=0%");
	}

	@Test
	void aReSentFencedWriteStoresTheSameEntryAndReleasesTheLock() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			runner(proxy).run((context) -> {
					CacheTemplate caches = context.getBean(CacheTemplate.class);
					StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
					// loads the scripts, so the faulted command is the fenced write itself
					caches.getOrLoad("products", 0, String.class, () -> "warm-up");
					// the loaded value is only in the fenced write's arguments
					proxy.dropReplyOnce("replayed-value", RedisProxy.Close.FIN);
					AtomicInteger loads = new AtomicInteger();

					String value = caches.getOrLoad("products", 1, String.class, () -> {
						loads.incrementAndGet();
						return "replayed-value";
					});

					assertThat(proxy.forwardedCount("replayed-value")).as("the fenced write ran twice").isEqualTo(2);
					assertThat(value).isEqualTo("replayed-value");
					assertThat(loads).hasValue(1);
					assertThat(redis.opsForValue().get("replay:cache:products:{products%3A1}")).contains("replayed-value");
					assertThat(redis.hasKey("replay:cache:products:{products%3A1}:loader")).as("released").isFalse();
					assertThat(caches.get("products", 1, String.class)).isEqualTo("replayed-value");
				});
		}
	}

	/**
	 * The loader-lock acquisition is re-sent: the second run finds the caller's own owner token and
	 * reports the lock taken, so the caller loads at once instead of waiting behind its own lock.
	 */
	@Test
	void aReSentLoaderLockAcquisitionRecognisesItsOwnLockAndLoadsWithoutWaiting() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			runner(proxy).withPropertyValues("redis-patterns.cache.lock-lease=30s").run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				caches.getOrLoad("products", 0, String.class, () -> "warm-up");
				// the lock key is first sent by the acquisition (then by the fenced write and the release)
				String lockKey = "replay:cache:products:{products%3A2}:loader";
				proxy.dropReplyOnce(lockKey, RedisProxy.Close.FIN);
				AtomicInteger loads = new AtomicInteger();

				String value = caches.getOrLoad("products", 2, String.class, () -> {
					loads.incrementAndGet();
					return "loaded";
				});

				assertThat(proxy.dropFired()).isTrue();
				assertThat(proxy.forwardedCount(lockKey)).as("acquired twice, then fenced write and release")
					.isEqualTo(4);
				assertThat(value).isEqualTo("loaded");
				assertThat(loads).hasValue(1);
				assertThat(context.getBean(MeterRegistry.class).find("redis.patterns.cache.lock.waits").timers())
					.as("no wait behind its own lock").allSatisfy((timer) -> assertThat(timer.count()).isZero());
				assertThat(redis.opsForValue().get("replay:cache:products:{products%3A2}")).contains("loaded");
				assertThat(redis.hasKey(lockKey)).isFalse();
			});
		}
	}

}
