package io.redispatterns.cache;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis killed in the middle of a test: callers get loader results and no exception; after the
 * restart, caching resumes. Uses its own server (not the shared one) because it kills it.
 */
@WithRedis(topology = RedisTopology.STANDALONE, shared = false)
class RedisOutageTests {

	StandaloneRedis redis;

	@Test
	void callsReturnLoaderResultsWhileRedisIsDownAndCachingResumesAfterRestart() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, LockAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("spring.data.redis.timeout=300ms", "spring.data.redis.connect-timeout=300ms",
					"redis-patterns.cache.circuit-breaker.open-duration=300ms")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				AtomicInteger loads = new AtomicInteger();
				assertThat(caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet()))
					.isEqualTo("v1");
				assertThat(caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet()))
					.isEqualTo("v1");

				this.redis.node().kill();
				for (int i = 0; i < 10; i++) {
					String value = caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet());
					assertThat(value).isEqualTo("v" + loads.get());
					caches.put("products", 2, "x");
					caches.evict("products", 3);
					assertThat(caches.get("products", 1, String.class)).isNull();
				}
				assertThat(loads).hasValue(11);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("cache.gets").tag("cache", "products").tag("result", "error").counter().count())
					.isGreaterThanOrEqualTo(10);
				assertThat(((RedisCacheTemplate) caches).circuitState()).isNotEqualTo("CLOSED");

				this.redis.node().restart();
				CacheBehaviourTests.await(() -> {
					caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet());
					return "v" .concat(String.valueOf(loads.get())).equals(caches.get("products", 1, String.class));
				});
				int afterRestart = loads.get();
				for (int i = 0; i < 5; i++) {
					assertThat(caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet()))
						.isEqualTo("v" + afterRestart);
				}
				assertThat(loads).hasValue(afterRestart);
				assertThat(((RedisCacheTemplate) caches).circuitState()).isEqualTo("CLOSED");

				// slow rather than down: the server holds every client for 1.5s, longer than the timeout
				this.redis.node().pause(java.time.Duration.ofMillis(1500));
				int beforePause = loads.get();
				assertThat(caches.getOrLoad("products", 1, String.class, () -> "slow-" + loads.incrementAndGet()))
					.isEqualTo("slow-" + (beforePause + 1));
				CacheBehaviourTests.await(() -> {
					caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet());
					return "CLOSED".equals(((RedisCacheTemplate) caches).circuitState())
							&& caches.get("products", 1, String.class) != null;
				});
			});
	}

}
