package io.redispatterns.cache.autoconfigure;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.CachedWithLock;
import io.redispatterns.cache.internal.RedisPatternsCacheManager;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding the starter never changes which cache an application uses without saying so, and Spring
 * Boot's {@code spring.cache.*} properties keep their meaning.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringCacheCompatibilityTests {

	private static final String IN_USE = "use the redis-patterns cache manager";

	private final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisPatternsAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
		.withPropertyValues("redis-patterns.key-prefix=compat");

	@Test
	void becomesTheApplicationsCacheManagerWhenSpringCacheTypeIsUnsetAndSaysSoOnce(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(RedisPatternsCacheManager.class);
			assertThat(count(output.getAll(), IN_USE)).isEqualTo(1);
			assertThat(output.getAll()).contains("spring.cache.type").contains("redis-patterns.cache.enabled=false");
		});
	}

	@Test
	void becomesTheApplicationsCacheManagerWhenSpringCacheTypeIsRedis() {
		this.runner.withPropertyValues("spring.cache.type=redis")
			.run((context) -> assertThat(context.getBean(CacheManager.class))
				.isInstanceOf(RedisPatternsCacheManager.class));
	}

	@Test
	void backsOffWhenSpringCacheTypeNamesAnotherCache(CapturedOutput output) {
		this.runner.withPropertyValues("spring.cache.type=simple").run((context) -> {
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
			assertThat(context.getBean("redisPatternsCacheManager")).as("still available by name")
				.isInstanceOf(RedisPatternsCacheManager.class);
			assertThat(output.getAll()).doesNotContain(IN_USE);
		});
		this.runner.withPropertyValues("spring.cache.type=none")
			.run((context) -> assertThat(context.getBean(CacheManager.class))
				.isNotInstanceOf(RedisPatternsCacheManager.class));
	}

	@Test
	void springCacheNamesAreItsInitialCaches() {
		this.runner.withPropertyValues("spring.cache.cache-names=products,prices", "redis-patterns.cache.strict=true")
			.run((context) -> {
				CacheManager manager = context.getBean(CacheManager.class);
				assertThat(manager.getCacheNames()).contains("products", "prices");
				assertThat(manager.getCache("products")).isNotNull();
				assertThat(manager.getCache("unknown")).isNull();
			});
	}

	@Test
	void springCacheRedisPropertiesAreTheDefaultsOfUnsetRedisPatternsProperties() {
		this.runner
			.withPropertyValues("spring.cache.redis.time-to-live=5m", "spring.cache.redis.cache-null-values=true",
					"spring.cache.redis.use-key-prefix=true")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				assertThat(caches.settings("any").ttl()).hasMinutes(5);
				assertThat(caches.settings("any").cacheNulls()).hasMinutes(5);
			});
		this.runner
			.withPropertyValues("spring.cache.redis.time-to-live=5m", "redis-patterns.cache.ttl=7m",
					"spring.cache.redis.cache-null-values=true", "redis-patterns.cache.cache-nulls=10s")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				assertThat(caches.settings("any").ttl()).as("redis-patterns wins").hasMinutes(7);
				assertThat(caches.settings("any").cacheNulls()).hasSeconds(10);
			});
	}

	@Test
	void springCacheRedisEnableStatisticsTurnsCacheMetersOnAndOff() {
		ApplicationContextRunner withRegistry = this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new);
		withRegistry.withPropertyValues("spring.cache.redis.enable-statistics=false").run((context) -> {
			context.getBean(CacheTemplate.class).getOrLoad("quiet", 1, Integer.class, () -> 1);
			assertThat(context.getBean(MeterRegistry.class).find("cache.gets").meters()).isEmpty();
		});
		withRegistry.withPropertyValues("spring.cache.redis.enable-statistics=true").run((context) -> {
			context.getBean(CacheTemplate.class).getOrLoad("counted", 1, Integer.class, () -> 1);
			assertThat(context.getBean(MeterRegistry.class).find("cache.gets").meters()).isNotEmpty();
		});
	}

	@Test
	void cacheMetersCarryTheCacheManagerTagAsSpringBootsCacheMetricsDo() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			caches.getOrLoad("tagged", 1, Integer.class, () -> 1);
			caches.evict("tagged", 1);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// Spring Boot tags cache.* meters with the manager's bean name less its "CacheManager" suffix
			assertThat(context.getBean("redisPatternsCacheManager")).isInstanceOf(RedisPatternsCacheManager.class);
			for (String name : List.of("cache.gets", "cache.puts", "cache.evictions")) {
				assertThat(registry.find(name).tag("cache", "tagged").tag("cache.manager", "redisPatterns").meters())
					.as(name)
					.isNotEmpty();
				assertThat(registry.find(name).meters()).as(name)
					.allSatisfy((meter) -> assertThat(meter.getId().getTag("cache.manager")).isNotNull());
			}
		});
	}

	@Test
	void springCacheRedisKeyPrefixIsRejectedNamingTheProperty() {
		for (String property : List.of("spring.cache.redis.key-prefix=shop::", "spring.cache.redis.use-key-prefix=false",
				"spring.cache.redis.time-to-live=0s")) {
			String name = property.substring(0, property.indexOf('='));
			this.runner.withPropertyValues(property).run((context) -> {
				assertThat(context).hasFailed();
				Throwable cause = context.getStartupFailure();
				while (cause.getCause() != null && !(cause instanceof InvalidRedisPatternsPropertyException)) {
					cause = cause.getCause();
				}
				assertThat(cause).isInstanceOf(InvalidRedisPatternsPropertyException.class).hasMessageContaining(name);
			});
		}
	}

	@Test
	void aCachedReturnTypeThatCanNeverBeReadBackFailsStartUpNamingMethodTypeAndReason() {
		this.runner.withUserConfiguration(UnreadableConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("Catalog.shape(long)")
				.hasMessageContaining(Shape.class.getName())
				.hasMessageContaining("Cannot construct instance");
		});
		this.runner.withUserConfiguration(UnconstructibleConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("Prices.price(long)")
				.hasMessageContaining(Price.class.getName());
		});
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
			count++;
		}
		return count;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	interface Shape {

	}

	record Square(double side) implements Shape {
	}

	/** Jackson cannot construct it: no default constructor, no creator, parameter names unknown. */
	static final class Price {

		private final long cents;

		Price(long cents, String currency) {
			this.cents = cents + currency.length();
		}

		public long getCents() {
			return this.cents;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnreadableConfiguration {

		@Bean
		Catalog catalog() {
			return new Catalog();
		}

	}

	static class Catalog {

		@CachedWithLock(cache = "shapes", key = "#id")
		public Shape shape(long id) {
			return new Square(id);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnconstructibleConfiguration {

		@Bean
		Prices prices() {
			return new Prices();
		}

	}

	static class Prices {

		@CachedWithLock(cache = "prices", key = "#id")
		public Price price(long id) {
			return new Price(id, "EUR");
		}

	}

}
