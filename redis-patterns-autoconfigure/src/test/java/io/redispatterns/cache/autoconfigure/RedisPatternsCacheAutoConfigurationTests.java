package io.redispatterns.cache.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.CacheInvalidate;
import io.redispatterns.cache.CacheMetrics;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.CachedWithLock;
import io.redispatterns.cache.OnLockTimeout;
import io.redispatterns.cache.internal.MicrometerCacheMetrics;
import io.redispatterns.cache.internal.RedisPatternsCacheManager;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class RedisPatternsCacheAutoConfigurationTests {

	static final AtomicInteger LOADS = new AtomicInteger();

	private final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisPatternsAutoConfiguration.class, LockAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class))
		.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
		.withPropertyValues("redis-patterns.key-prefix=acfg");

	@BeforeEach
	void reset() {
		this.redis.flushAll();
		LOADS.set(0);
	}

	@Test
	void bindsPerCacheSettingsOverTheDefaults() {
		this.runner
			.withPropertyValues("redis-patterns.cache.ttl=1h", "redis-patterns.cache.ttl-jitter=10%",
					"redis-patterns.cache.caches.products.ttl=10m",
					"redis-patterns.cache.caches.products.stale-while-revalidate=1m",
					"redis-patterns.cache.caches.products.cache-nulls=30s",
					"redis-patterns.cache.caches.products.on-lock-timeout=fail")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				CacheSettings products = caches.settings("products");
				assertThat(products.ttl()).hasMinutes(10);
				assertThat(products.staleWhileRevalidate()).hasMinutes(1);
				assertThat(products.cacheNulls()).hasSeconds(30);
				assertThat(products.ttlJitter()).isEqualTo(0.1);
				assertThat(products.onLockTimeout()).isEqualTo(OnLockTimeout.FAIL);
				assertThat(caches.settings("unknown").ttl()).hasHours(1);
				assertThat(caches.settings("unknown").cacheNulls()).isNull();
			});
	}

	@Test
	void negativeTtlFailsStartUpNamingTheProperty() {
		assertFailsWith("redis-patterns.cache.caches.products.ttl=-5s", "redis-patterns.cache.caches.products.ttl");
	}

	@Test
	void jitterOverOneHundredPercentFailsStartUpNamingTheProperty() {
		assertFailsWith("redis-patterns.cache.ttl-jitter=150%", "redis-patterns.cache.ttl-jitter");
	}

	@Test
	void staleWhileRevalidateLongerThanTheTtlFailsStartUpNamingTheProperty() {
		this.runner
			.withPropertyValues("redis-patterns.cache.caches.products.ttl=1m",
					"redis-patterns.cache.caches.products.stale-while-revalidate=2m")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidRedisPatternsPropertyException.class)
					.hasMessageContaining("redis-patterns.cache.caches.products.stale-while-revalidate");
			});
	}

	@Test
	void annotationNamingAnUnknownCacheFailsStartUpWhenStrict() {
		this.runner.withUserConfiguration(AnnotatedConfiguration.class)
			.withPropertyValues("redis-patterns.cache.strict=true", "redis-patterns.cache.caches.products.ttl=1m")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidRedisPatternsPropertyException.class)
					.hasMessageContaining("redis-patterns.cache.caches")
					.hasMessageContaining("catalog");
			});
		this.runner.withUserConfiguration(AnnotatedConfiguration.class)
			.withPropertyValues("redis-patterns.cache.strict=true", "redis-patterns.cache.caches.products.ttl=1m",
					"redis-patterns.cache.caches.catalog.ttl=1m")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void annotationTtlShorterThanTheConfiguredStaleWindowFailsStartUpNamingTheMethod() {
		this.runner.withUserConfiguration(ShortTtlConfiguration.class)
			.withPropertyValues("redis-patterns.cache.stale-while-revalidate=1m")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidRedisPatternsPropertyException.class)
					.hasMessageContaining("redis-patterns.cache.stale-while-revalidate")
					.hasMessageContaining("ShortTtlService.quote(java.lang.String)");
			});
		this.runner.withUserConfiguration(ShortTtlConfiguration.class)
			.withPropertyValues("redis-patterns.cache.caches.quotes.stale-while-revalidate=1m")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidRedisPatternsPropertyException.class)
					.hasMessageContaining("redis-patterns.cache.caches.quotes.stale-while-revalidate")
					.hasMessageContaining("ShortTtlService.quote(java.lang.String)");
			});
	}

	@Test
	void annotationDurationsResolvePlaceholdersAndFailStartUpWhenMalformed() {
		this.runner.withBean(PlaceholderTtlService.class, PlaceholderTtlService::new)
			.withPropertyValues("quotes.ttl=soon")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidRedisPatternsPropertyException.class)
					.hasMessageContaining("@CachedWithLock on public java.lang.String " + PlaceholderTtlService.class.getName()
							+ ".quote(java.lang.String) (ttl)")
					.hasMessageContaining("'soon'")
					.hasMessageContaining("500ms, 30s or PT30S");
			});
		this.runner.withBean(PlaceholderTtlService.class, PlaceholderTtlService::new)
			.withPropertyValues("quotes.ttl= ")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void annotationSettingsAreMergedWithTheConfiguredOnesOnce() {
		// the annotation sets both its TTL and its stale window: fits although the configured window is longer
		this.runner.withBean(RateService.class, RateService::new)
			.withPropertyValues("redis-patterns.cache.stale-while-revalidate=1m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RateService service = context.getBean(RateService.class);
				assertThat(service.rate("eur")).isEqualTo("rate-eur");
				assertThat(service.rate("eur")).isEqualTo("rate-eur");
				assertThat(LOADS).hasValue(1);
				Long ttl = new org.springframework.data.redis.core.StringRedisTemplate(
						context.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class))
					.getExpire("acfg:cache:rates:{rates%3Aeur}", java.util.concurrent.TimeUnit.MILLISECONDS);
				// the annotation's 30s TTL plus its 10s stale window, shortened by up to the 10% jitter
				assertThat(ttl).isPositive().isLessThanOrEqualTo(40_000);
			});
	}

	@Test
	void annotationsCacheTagAndInvalidate() {
		this.runner.withUserConfiguration(AnnotatedConfiguration.class).run((context) -> {
			ProductService service = context.getBean(ProductService.class);
			assertThat(service.product(1)).isEqualTo(new Product(1, "p1"));
			assertThat(service.product(1)).isEqualTo(new Product(1, "p1"));
			assertThat(LOADS).hasValue(1);
			assertThat(service.page("shoes", 0)).containsExactly(new Product(0, "shoes"));
			assertThat(service.page("shoes", 0)).containsExactly(new Product(0, "shoes"));
			assertThat(service.find(5)).contains(new Product(5, "p5"));
			assertThat(service.find(5)).contains(new Product(5, "p5"));
			assertThat(LOADS).hasValue(3);

			service.update(new Product(1, "renamed"));
			assertThat(service.product(1)).isEqualTo(new Product(1, "p1"));
			assertThat(LOADS).hasValue(4);
			service.invalidateCategory("shoes");
			service.page("shoes", 0);
			assertThat(LOADS).hasValue(5);

			Map<String, Object> described = context.getBean(PatternEndpointDetails.class).describe();
			assertThat(described).containsKey("caches").containsEntry("circuitBreaker", "CLOSED");
			@SuppressWarnings("unchecked")
			Map<String, Map<String, Object>> caches = (Map<String, Map<String, Object>>) described.get("caches");
			assertThat(caches).containsKeys("products", "catalog");
			assertThat(caches.get("products")).containsKeys("ttl", "staleWhileRevalidate", "hitRatio");
			assertThat((Double) caches.get("products").get("hitRatio")).isGreaterThan(0);
		});
	}

	@Test
	void invalidatesAgainAfterTheTransactionCommits() {
		this.runner.withUserConfiguration(AnnotatedConfiguration.class).run((context) -> {
			ProductService service = context.getBean(ProductService.class);
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			service.product(2);
			org.springframework.transaction.support.TransactionSynchronizationManager.initSynchronization();
			try {
				service.update(new Product(2, "renamed"));
				assertThat(caches.get("products", 2, Product.class)).isNull();
				// a concurrent load stores what it read before the commit
				caches.put("products", 2, new Product(2, "p2"));
				org.springframework.transaction.support.TransactionSynchronizationUtils.triggerAfterCommit();
				assertThat(caches.get("products", 2, Product.class)).isNull();
			}
			finally {
				org.springframework.transaction.support.TransactionSynchronizationManager.clearSynchronization();
			}
		});
	}

	@Test
	void classNamePolymorphismOnlyForAllowListedPackages() {
		this.runner.withPropertyValues("redis-patterns.cache.polymorphic-packages=io.redispatterns.cache.autoconfigure")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				caches.put("shapes", 1, new Circle(2));
				assertThat(caches.get("shapes", 1, Shape.class)).isEqualTo(new Circle(2));
			});
		this.runner.run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			caches.put("shapes", 1, new Circle(2));
			// the type id names a class outside the allow-list: treated as an undecodable entry
			assertThat(caches.get("shapes", 1, Shape.class)).isNull();
		});
	}

	@Test
	void providesTheCacheManagerWhenTheApplicationHasNone() {
		this.runner.withUserConfiguration(SpringCacheConfiguration.class).run((context) -> {
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(RedisPatternsCacheManager.class);
			SpringCached cached = context.getBean(SpringCached.class);
			assertThat(cached.product(3)).isEqualTo(new Product(3, "p3"));
			assertThat(cached.product(3)).isEqualTo(new Product(3, "p3")).isInstanceOf(Product.class);
			assertThat(LOADS).hasValue(1);
		});
	}

	@Test
	void springBootsCacheAutoConfigurationBacksOffForOurManager() {
		this.runner.withConfiguration(AutoConfigurations.of(CacheAutoConfiguration.class))
			.withUserConfiguration(SpringCacheConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheManager.class);
				assertThat(context.getBean(CacheManager.class)).isInstanceOf(RedisPatternsCacheManager.class);
				SpringCached cached = context.getBean(SpringCached.class);
				cached.product(4);
				cached.product(4);
				assertThat(LOADS).hasValue(1);
			});
	}

	@Test
	void plainCacheableCachePutAndCacheEvictKeepWorking() {
		this.runner.withUserConfiguration(SpringCacheConfiguration.class).run((context) -> {
			SpringCached cached = context.getBean(SpringCached.class);
			assertThat(cached.page("shoes")).containsExactly(new Product(1, "shoes"));
			assertThat(cached.page("shoes")).containsExactly(new Product(1, "shoes")).first().isInstanceOf(Product.class);
			assertThat(LOADS).hasValue(1);
			cached.replace("shoes", "boots");
			assertThat(cached.page("shoes")).containsExactly(new Product(2, "boots"));
			assertThat(LOADS).hasValue(1);
			cached.evict("shoes");
			assertThat(cached.page("shoes")).containsExactly(new Product(1, "shoes"));
			assertThat(LOADS).hasValue(2);
		});
	}

	@Test
	void registersAlongsideUnderItsNameWhenTheApplicationHasACacheManager() {
		this.runner.withUserConfiguration(SpringCacheConfiguration.class)
			.withBean("cacheManager", CacheManager.class, ConcurrentMapCacheManager::new)
			.run((context) -> {
				assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
				assertThat(context.getBean("redisPatternsCacheManager")).isInstanceOf(RedisPatternsCacheManager.class);
				assertThat(BeanFactoryUtils.beanNamesForTypeIncludingAncestors(context, CacheManager.class)).hasSize(2);
			});
	}

	@Test
	void usesMicrometerOnlyWhenARegistryIsPresent() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context.getBean(CacheMetrics.class)).isInstanceOf(MicrometerCacheMetrics.class));
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(CacheMetrics.class);
				assertThat(context.getBean(CacheTemplate.class).getOrLoad("x", 1, Integer.class, () -> 1)).isEqualTo(1);
			});
	}

	@Test
	void canBeSwitchedOff() {
		this.runner.withPropertyValues("redis-patterns.cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CacheTemplate.class)
				.doesNotHaveBean(RedisPatternsCacheManager.class));
	}

	@Test
	void backsOffWhenTheUserDefinesTheTemplate() {
		this.runner.run((first) -> {
			Object userTemplate = first.getBean(CacheTemplate.class);
			this.runner.withBean("myTemplate", io.redispatterns.cache.internal.RedisCacheTemplate.class,
					() -> (io.redispatterns.cache.internal.RedisCacheTemplate) userTemplate)
				.run((context) -> assertThat(context.getBean(CacheTemplate.class)).isSameAs(userTemplate));
		});
	}

	private void assertFailsWith(String property, String named) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure())).isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining(named);
		});
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && !(cause instanceof InvalidRedisPatternsPropertyException)) {
			cause = cause.getCause();
		}
		return cause;
	}

	record Product(long id, String name) {
	}

	@com.fasterxml.jackson.annotation.JsonTypeInfo(use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.CLASS)
	interface Shape {

	}

	record Circle(double radius) implements Shape {
	}

	@Configuration(proxyBeanMethods = false)
	static class AnnotatedConfiguration {

		@Bean
		ProductService productService() {
			return new ProductService();
		}

	}

	static class ProductService {

		@CachedWithLock(cache = "products", key = "#id", ttl = "10m", staleWhileRevalidate = "1m")
		public Product product(long id) {
			LOADS.incrementAndGet();
			return new Product(id, "p" + id);
		}

		@CachedWithLock(cache = "catalog", key = "#category + ':' + #page",
				tags = { "'catalog'", "'category:' + #category" })
		public List<Product> page(String category, int page) {
			LOADS.incrementAndGet();
			return List.of(new Product(page, category));
		}

		@CachedWithLock(cache = "products", key = "'opt:' + #id")
		public Optional<Product> find(long id) {
			LOADS.incrementAndGet();
			return Optional.of(new Product(id, "p" + id));
		}

		@CacheInvalidate(cache = "products", key = "#product.id")
		public Product update(Product product) {
			return product;
		}

		@CacheInvalidate(cache = "catalog", tags = "'category:' + #category")
		public void invalidateCategory(String category) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ShortTtlConfiguration {

		@Bean
		ShortTtlService shortTtlService() {
			return new ShortTtlService();
		}

	}

	static class ShortTtlService {

		@CachedWithLock(cache = "quotes", ttl = "30s")
		public String quote(String symbol) {
			LOADS.incrementAndGet();
			return "quote-" + symbol;
		}

	}

	static class PlaceholderTtlService {

		@CachedWithLock(cache = "quotes", ttl = "${quotes.ttl}")
		public String quote(String symbol) {
			return "quote-" + symbol;
		}

	}

	static class RateService {

		@CachedWithLock(cache = "rates", ttl = "30s", staleWhileRevalidate = "10s")
		public String rate(String currency) {
			LOADS.incrementAndGet();
			return "rate-" + currency;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class SpringCacheConfiguration {

		@Bean
		SpringCached springCached() {
			return new SpringCached();
		}

	}

	static class SpringCached {

		@Cacheable(cacheNames = "spring-pages")
		public List<Product> page(String category) {
			LOADS.incrementAndGet();
			return List.of(new Product(1, category));
		}

		@org.springframework.cache.annotation.CachePut(cacheNames = "spring-pages", key = "#category")
		public List<Product> replace(String category, String name) {
			return List.of(new Product(2, name));
		}

		@org.springframework.cache.annotation.CacheEvict(cacheNames = "spring-pages")
		public void evict(String category) {
		}

		@Cacheable(cacheNames = "spring-products", sync = true)
		public Product product(long id) {
			LOADS.incrementAndGet();
			return new Product(id, "p" + id);
		}

	}

}
