package io.redispatterns.cache;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The master that owns a cached key is killed: callers get loader results and no exception; after
 * the restart, caching of that key resumes. Uses its own Cluster because it kills a node.
 */
@WithRedis(topology = RedisTopology.CLUSTER, shared = false)
class ClusterRedisOutageTests {

	ClusterRedis redis;

	@Test
	void callsReturnLoaderResultsWhileTheKeysMasterIsDownAndCachingResumesAfterRestart() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, LockAutoConfiguration.class,
					RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("spring.data.redis.timeout=300ms", "spring.data.redis.connect-timeout=300ms",
					"redis-patterns.key-prefix=outage", "redis-patterns.cache.circuit-breaker.open-duration=300ms")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				AtomicInteger loads = new AtomicInteger();
				assertThat(caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet()))
					.isEqualTo("v1");
				assertThat(caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet()))
					.isEqualTo("v1");
				RedisNode owner = this.redis.nodeForKey("outage:cache:products:{products%3A1}");

				owner.kill();
				for (int i = 0; i < 5; i++) {
					String value = caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet());
					assertThat(value).isEqualTo("v" + loads.get());
				}
				assertThat(loads).hasValue(6);

				owner.restart();
				CacheBehaviourTests.await(() -> {
					caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet());
					return caches.get("products", 1, String.class) != null;
				}, 30);
				int afterRestart = loads.get();
				for (int i = 0; i < 5; i++) {
					assertThat(caches.getOrLoad("products", 1, String.class, () -> "v" + loads.incrementAndGet()))
						.isNotNull();
				}
				assertThat(loads).hasValue(afterRestart);
			});
	}

}
