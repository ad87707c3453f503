package io.redispatterns.cache.internal;

import java.util.Map;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.UnknownPropertiesAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

/** The near cache on a single Redis server, and the validation of its properties. */
@WithRedis(topology = RedisTopology.STANDALONE)
class StandaloneNearCacheTests extends NearCacheBehaviourTests {

	RedisDeployment redis;

	@Override
	protected RedisDeployment deployment() {
		return this.redis;
	}

	@Test
	void silentLossOfTheConnectionIsNoticedByTheHeartbeatAndClearsTheCopies() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			runner(proxy::connectionDetails)
				.withPropertyValues("spring.data.redis.timeout=1s", "spring.data.redis.connect-timeout=1s")
				.run((context) -> {
					RedisCacheTemplate caches = trackingOn(context);
					NearCache near = near(caches);
					caches.put("products", 1, new NearCacheBehaviourTests.Product(1, "kettle"));
					readUntilHeld(caches, 1);
					// no close, no reset: the connection just stops answering (a network partition)
					proxy.blackHole(true);
					await(() -> !caches.nearCaches().isTrusted() && near.size() == 0);
					proxy.heal();
					await(() -> caches.nearCaches().isTrusted());
					readUntilHeld(caches, 1);
				});
		}
	}

	@Test
	void invalidNearPropertiesFailStartUpNamingTheProperty() {
		runner().withPropertyValues("redis-patterns.cache.caches.products.near.max-entries=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.cache.caches.products.near.max-entries");
		});
		runner().withPropertyValues("redis-patterns.cache.caches.products.near.ttl=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.cache.caches.products.near.ttl");
		});
	}

	@Test
	void nearPropertiesAreKnownToTheUnknownPropertyCheck() {
		runner().withConfiguration(AutoConfigurations.of(UnknownPropertiesAutoConfiguration.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RedisCacheTemplate.class).nearCaches().of("products")).isNotNull();
			assertThat(context.getBean(RedisCacheTemplate.class).nearCaches().of("plain")).isNull();
			Map<?, ?> caches = (Map<?, ?>) context.getBean(RedisCacheTemplate.class).describe().get("caches");
			@SuppressWarnings("unchecked")
			Map<String, Object> near = (Map<String, Object>) ((Map<?, ?>) caches.get("products")).get("near");
			assertThat(near).containsEntry("maxEntries", 1000).containsEntry("ttl", "PT1M").containsKeys("size", "tracking");
		});
	}

}
