package io.redispatterns.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.CacheWriteThroughAutoConfiguration;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Write-through never leaves the cache newer than the database when the database write fails, and never
 * leaves a stale entry when writers (or a writer and a loader) race. Run for each topology by a subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WriteThroughContractTests {

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisPatternsAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class,
			CacheWriteThroughAutoConfiguration.class })
	static class Base {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Names names() {
			return new Names();
		}

	}

	/** A repository whose save method is a write-through of the cache "names". */
	static class Names {

		private final java.util.Map<Long, String> rows = new java.util.concurrent.ConcurrentHashMap<>();

		/** A method, not the field: the bean is a proxy, whose own fields are empty. */
		public String row(long id) {
			return this.rows.get(id);
		}

		@WriteThrough(cache = "names", key = "#id")
		public String save(long id, String name) throws java.io.IOException {
			if (name.isEmpty()) {
				throw new java.io.IOException("a name must not be empty");
			}
			this.rows.put(id, name);
			return name;
		}

	}

	private ConfigurableApplicationContext context;

	private CacheTemplate caches;

	private CacheWriteThrough writeThrough;

	protected abstract RedisDeployment deployment();

	@BeforeAll
	void start() {
		deployment().flushAll();
		this.context = new SpringApplicationBuilder(Base.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory()
				.registerSingleton("testRedisConnectionDetails", deployment().connectionDetails()))
			.properties("spring.main.banner-mode=off", "redis-patterns.key-prefix=wt",
					"redis-patterns.cache.ttl-jitter=0%", "redis-patterns.cache.caches.short.wait-for=200ms")
			.run();
		this.caches = this.context.getBean(CacheTemplate.class);
		this.writeThrough = this.context.getBean(CacheWriteThrough.class);
	}

	@AfterAll
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void aFailedDatabaseWriteLeavesNoEntryNewerThanTheDatabase() {
		AtomicReference<String> database = new AtomicReference<>("v1");
		assertThat(this.caches.getOrLoad("products", 1, String.class, database::get)).isEqualTo("v1");
		assertThatIllegalStateException().isThrownBy(() -> this.writeThrough.write("products", 1, "v2", (value) -> {
			throw new IllegalStateException("constraint violated");
		})).withMessage("constraint violated");
		assertThat(this.caches.get("products", 1, String.class)).isNull();
		assertThat(this.caches.getOrLoad("products", 1, String.class, database::get)).isEqualTo("v1");
		assertThat(this.writeThrough.write("products", 1, "v3", database::set)).isEqualTo("v3");
		assertThat(this.caches.get("products", 1, String.class)).isEqualTo("v3").isEqualTo(database.get());
	}

	@Test
	void anAnnotatedWriteMethodCachesWhatItReturnsAndNothingWhenItThrows() throws Exception {
		Names names = this.context.getBean(Names.class);
		assertThat(names.save(10, "Ada")).isEqualTo("Ada");
		assertThat(this.caches.get("names", 10L, String.class)).isEqualTo("Ada");
		assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> names.save(10, ""))
			.withMessage("a name must not be empty");
		assertThat(this.caches.get("names", 10L, String.class)).isNull();
		assertThat(names.row(10)).isEqualTo("Ada");
	}

	@Test
	void racingWritersTakeTurnsAndTheCacheEndsWithWhatTheDatabaseHolds() throws Exception {
		AtomicReference<String> database = new AtomicReference<>("initial");
		AtomicInteger inside = new AtomicInteger();
		AtomicBoolean overlapped = new AtomicBoolean();
		ExecutorService writers = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int w = 0; w < 4; w++) {
				int writer = w;
				done.add(writers.submit(() -> {
					for (int i = 0; i < 10; i++) {
						String value = writer + "-" + i;
						this.writeThrough.write("products", 2, () -> {
							if (inside.incrementAndGet() > 1) {
								overlapped.set(true);
							}
							database.set(value);
							Thread.yield();
							inside.decrementAndGet();
							return value;
						});
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			writers.shutdownNow();
		}
		assertThat(overlapped).as("two database writes of one key ran at once").isFalse();
		assertThat(this.caches.get("products", 2, String.class)).isEqualTo(database.get());
	}

	@Test
	void aWriteWaitsForALoadInProgressSoTheLoadedOldValueNeverOutlivesIt() throws Exception {
		AtomicReference<String> database = new AtomicReference<>("old");
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch finishLoad = new CountDownLatch(1);
		// the loader's callback has returned (its value is then written and the key's lock released); the future
		// of getOrLoad completes a moment later on the loading thread, which a woken writer may overtake
		AtomicBoolean loaderReturned = new AtomicBoolean();
		AtomicBoolean loadFinishedBeforeWrite = new AtomicBoolean();
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			Future<String> load = threads.submit(() -> this.caches.getOrLoad("products", 3, String.class, () -> {
				String read = database.get();
				loading.countDown();
				finishLoad.await(30, TimeUnit.SECONDS);
				loaderReturned.set(true);
				return read;
			}));
			assertThat(loading.await(30, TimeUnit.SECONDS)).isTrue();
			Future<String> write = threads.submit(() -> this.writeThrough.write("products", 3, () -> {
				loadFinishedBeforeWrite.set(loaderReturned.get());
				database.set("new");
				return "new";
			}));
			// the writer waits on the key's lock, held by the loader that read "old"
			await().atMost(java.time.Duration.ofSeconds(10))
				.until(() -> this.caches instanceof RedisCacheTemplate template
						&& template.pendingWakeUps().stream().anyMatch((key) -> key.endsWith("{products%3A3}")));
			finishLoad.countDown();
			assertThat(load.get(30, TimeUnit.SECONDS)).isEqualTo("old");
			assertThat(write.get(30, TimeUnit.SECONDS)).isEqualTo("new");
		}
		finally {
			finishLoad.countDown();
			threads.shutdownNow();
		}
		assertThat(loadFinishedBeforeWrite).isTrue();
		assertThat(this.caches.get("products", 3, String.class)).isEqualTo("new");
	}

	@Test
	void aWriterThatCannotTakeTheKeysLockDoesNotWriteTheDatabase() throws Exception {
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch finishLoad = new CountDownLatch(1);
		AtomicBoolean written = new AtomicBoolean();
		ExecutorService threads = Executors.newSingleThreadExecutor();
		try {
			threads.submit(() -> this.caches.getOrLoad("short", 4, String.class, () -> {
				loading.countDown();
				finishLoad.await(30, TimeUnit.SECONDS);
				return "loaded";
			}));
			assertThat(loading.await(30, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(CacheLockTimeoutException.class)
				.isThrownBy(() -> this.writeThrough.write("short", 4, () -> {
					written.set(true);
					return "new";
				}))
				.withMessageContaining("the database was not written");
			assertThat(written).isFalse();
		}
		finally {
			finishLoad.countDown();
			threads.shutdownNow();
		}
	}

}
