package io.redispatterns.cache.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.CachedWithLock;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters of every configured cache and of every cache an annotation names exist at zero from
 * start-up, so a hit-ratio panel or an error alert works before the first read.
 */
@WithRedis
class CacheMetersAtZeroTests {

	RedisDeployment redis;

	@Test
	void configuredAndAnnotatedCachesHaveTheirMetersAtZero() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, LockAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(Catalog.class)
			.withPropertyValues("redis-patterns.key-prefix=zero", "redis-patterns.cache.caches.prices.ttl=1m")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String cache : new String[] { "prices", "products" }) {
					assertThat(registry.get("cache.gets").tag("cache", cache).counters())
						.extracting((counter) -> counter.getId().getTag("result"))
						.contains("hit", "miss");
					assertThat(registry.get("redis.patterns.cache.errors").tag("cache", cache).counters())
						.extracting((counter) -> counter.getId().getTag("operation"))
						.contains("read", "write");
					assertThat(registry.get("redis.patterns.cache.corrupt").tag("cache", cache).counter().count()).isZero();
					assertThat(registry.get("redis.patterns.cache.lock.waits").tag("cache", cache).timer().count()).isZero();
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Catalog {

		@Bean
		ProductService productService() {
			return new ProductService();
		}

	}

	static class ProductService {

		@CachedWithLock(cache = "products", key = "#id")
		public String product(String id) {
			return "product " + id;
		}

	}

}
