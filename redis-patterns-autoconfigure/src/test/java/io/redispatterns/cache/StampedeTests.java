package io.redispatterns.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.cache.internal.RedisPatternsCacheManager;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four application contexts (standing in for four instances) with 50 threads each ask for one
 * cold key whose loader takes 200 ms: the loader must run once in total.
 */
@WithRedis(topology = RedisTopology.STANDALONE)
class StampedeTests {

	static final AtomicInteger LOADS = new AtomicInteger();

	RedisDeployment redis;

	@BeforeEach
	void reset() {
		this.redis.flushAll();
		LOADS.set(0);
	}

	@Test
	void cachedWithLockRunsTheLoaderOnceAcrossFourInstancesOf50Threads() throws Exception {
		List<ConfigurableApplicationContext> contexts = start(4);
		try {
			List<String> results = stampede(contexts, (context) -> () -> context.getBean(SlowRepository.class).product(42));
			assertThat(results).hasSize(200).containsOnly("product-42");
			assertThat(LOADS).hasValue(1);
			report("@CachedWithLock", contexts);
		}
		finally {
			contexts.forEach(ConfigurableApplicationContext::close);
		}
	}

	@Test
	void cacheableSyncThroughTheProvidedCacheManagerRunsTheLoaderOnce() throws Exception {
		List<ConfigurableApplicationContext> contexts = start(4);
		try {
			assertThat(contexts.get(0).getBean(CacheManager.class)).isInstanceOf(RedisPatternsCacheManager.class);
			List<String> results = stampede(contexts, (context) -> () -> context.getBean(SlowRepository.class).price("sku-7"));
			assertThat(results).hasSize(200).containsOnly("price-sku-7");
			assertThat(LOADS).hasValue(1);
			report("@Cacheable(sync = true)", contexts);
			// and the value is read back as the method's declared type
			assertThat(contexts.get(1).getBean(SlowRepository.class).price("sku-7")).isEqualTo("price-sku-7");
			assertThat(contexts.get(2).getBean(SlowRepository.class).quantity("sku-7")).isEqualTo(7);
			assertThat(contexts.get(3).getBean(SlowRepository.class).quantity("sku-7")).isEqualTo(7);
			assertThat(LOADS).hasValue(2);
		}
		finally {
			contexts.forEach(ConfigurableApplicationContext::close);
		}
	}

	private List<ConfigurableApplicationContext> start(int count) {
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			List<String> properties = new ArrayList<>();
			this.redis.springProperties().forEach((key, value) -> properties.add(key + "=" + value));
			properties.add("redis-patterns.key-prefix=stampede");
			contexts.add(new SpringApplicationBuilder(StampedeApplication.class).web(WebApplicationType.NONE)
				.properties(properties.toArray(String[]::new))
				.run());
		}
		return contexts;
	}

	private static List<String> stampede(List<ConfigurableApplicationContext> contexts,
			java.util.function.Function<ConfigurableApplicationContext, Callable<String>> call) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(contexts.size() * 50);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<String>> futures = new ArrayList<>();
			for (ConfigurableApplicationContext context : contexts) {
				Callable<String> task = call.apply(context);
				for (int i = 0; i < 50; i++) {
					futures.add(executor.submit(() -> {
						start.await();
						return task.call();
					}));
				}
			}
			start.countDown();
			List<String> results = new ArrayList<>();
			for (Future<String> future : futures) {
				results.add(future.get(30, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static void report(String what, List<ConfigurableApplicationContext> contexts) {
		long waits = 0;
		double waitedMillis = 0;
		for (ConfigurableApplicationContext context : contexts) {
			for (Timer timer : context.getBean(MeterRegistry.class).find("redis.patterns.cache.lock.waits").timers()) {
				waits += timer.count();
				waitedMillis += timer.totalTime(TimeUnit.MILLISECONDS);
			}
		}
		System.out.printf("[measure] %s: 4 instances x 50 threads -> loader calls %d, lock waits %d (%.0f ms in total)%n",
				what, LOADS.get(), waits, waitedMillis);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisPatternsAutoConfiguration.class, LockAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class })
	static class StampedeApplication {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		SlowRepository slowRepository() {
			return new SlowRepository();
		}

	}

	static class SlowRepository {

		@CachedWithLock(cache = "products", key = "#id")
		public String product(long id) throws InterruptedException {
			LOADS.incrementAndGet();
			Thread.sleep(200);
			return "product-" + id;
		}

		@Cacheable(cacheNames = "prices", sync = true)
		public String price(String sku) throws InterruptedException {
			LOADS.incrementAndGet();
			Thread.sleep(200);
			return "price-" + sku;
		}

		@Cacheable(cacheNames = "quantities", sync = true)
		public Integer quantity(String sku) {
			LOADS.incrementAndGet();
			return 7;
		}

	}

}
