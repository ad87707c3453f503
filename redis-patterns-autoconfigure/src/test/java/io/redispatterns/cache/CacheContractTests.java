package io.redispatterns.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.core.autoconfigure.RedisClientDefaultsAutoConfiguration;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.cache.support.NullValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The redis-patterns cache manager against Spring's {@code Cache} contract and Spring Data Redis's
 * {@code RedisCache} behaviour: keys identify values, {@code retrieve} works without blocking, nulls
 * and the eviction results behave the same, and a cached type that cannot be read back fails loudly.
 * Run for each topology by a subclass.
 */
abstract class CacheContractTests {

	static final AtomicInteger LOADS = new AtomicInteger();

	protected abstract RedisDeployment deployment();

	ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, deployment()::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("redis-patterns.key-prefix=contract", "redis-patterns.cache.ttl-jitter=0%",
					"redis-patterns.cache.caches.nullable.cache-nulls=1m");
	}

	@BeforeEach
	void flush() {
		deployment().flushAll();
		LOADS.set(0);
	}

	/** Equal by value, but without toString(): String.valueOf would give its identity hash code. */
	static final class Sku {

		private final String code;

		Sku(String code) {
			this.code = code;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Sku sku && sku.code.equals(this.code);
		}

		@Override
		public int hashCode() {
			return 42;
		}

	}

	/** No toString(); the application may register a Converter to String for it. */
	static final class Ean {

		final String digits;

		Ean(String digits) {
			this.digits = digits;
		}

	}

	static final class EanToString implements Converter<Ean, String> {

		@Override
		public String convert(Ean ean) {
			return "ean-" + ean.digits;
		}

	}

	enum Colour {

		RED, BLUE

	}

	record Variant(String sku, int size, Colour colour) {
	}

	record Product(long id, String name) {
	}

	private static Cache cache(org.springframework.context.ApplicationContext context, String name) {
		return Objects.requireNonNull(context.getBean(CacheManager.class).getCache(name));
	}

	@Test
	void keysWithoutAStableStringFormAreRefusedNamingTheirType() {
		runner().run((context) -> {
			Cache products = cache(context, "products");
			assertThatIllegalStateException().isThrownBy(() -> products.put(new Sku("a"), "first"))
				.withMessageContaining(Sku.class.getName());
			assertThatIllegalStateException().isThrownBy(() -> products.get(new Sku("b")))
				.withMessageContaining(Sku.class.getName());
			assertThatIllegalStateException().isThrownBy(() -> products.get(new Ean("4006381333931"), () -> "x"))
				.withMessageContaining(Ean.class.getName());
			assertThat(context.getBean(StringRedisTemplate.class).keys("contract:cache:*")).isEmpty();
		});
	}

	@Test
	void keysWithAStableStringFormIdentifyTheirValues() {
		runner().run((context) -> {
			Cache products = cache(context, "products");
			Object[] keys = { "a", 1, 1L, 2.5, true, Colour.RED, Colour.BLUE, List.of(1, 2), List.of(12),
					new Object[] { "x", 3 }, Map.of("k", Colour.RED), new SimpleKey("a", 1), new SimpleKey("a", 2),
					new Variant("a", 40, Colour.RED), new Variant("a", 40, Colour.BLUE), new Variant("a", 41, null),
					java.util.UUID.fromString("00000000-0000-0000-0000-000000000001") };
			for (int i = 0; i < keys.length; i++) {
				products.put(keys[i], "value-" + i);
			}
			for (int i = 0; i < keys.length; i++) {
				// 1 and 1L have one string form, as in Spring Data Redis: the later write wins
				String expected = (i == 1) ? "value-2" : "value-" + i;
				assertThat(products.get(keys[i], String.class)).as("key %s", keys[i]).isEqualTo(expected);
			}
			assertThat(products.get(new Variant("a", 40, Colour.RED), String.class)).as("an equal record is a hit")
				.isEqualTo("value-13");
		});
	}

	@Test
	void aRegisteredConverterGivesAKeyTypeItsStringForm() {
		runner().withBean("eanConverter", EanToString.class, EanToString::new)
			.run((context) -> {
				Cache books = cache(context, "books");
				books.put(new Ean("4006381333931"), "pen");
				assertThat(books.get(new Ean("4006381333931"), String.class)).isEqualTo("pen");
				assertThat(context.getBean(StringRedisTemplate.class).keys("contract:cache:books:*"))
					.containsExactly("contract:cache:books:{books%3Aean-4006381333931}");
			});
	}

	@Test
	void retrieveReadsWithoutBlockingAndReportsAMissAsNull() throws Exception {
		runner().run((context) -> {
			Cache products = cache(context, "products");
			assertThat(products.retrieve(7).get(10, TimeUnit.SECONDS)).isNull();
			products.put(7, "kettle");
			Object found = products.retrieve(7).get(10, TimeUnit.SECONDS);
			assertThat(found).isInstanceOf(Cache.ValueWrapper.class);
			assertThat(((Cache.ValueWrapper) found).get()).isEqualTo("kettle");
		});
	}

	@Test
	void retrieveWithALoaderLoadsOnceAcrossInstancesAndNeverBlocksACaller() {
		runner().run((first) -> runner().run((second) -> {
			Cache mine = cache(first, "products");
			Cache theirs = cache(second, "products");
			CompletableFuture<String> slowLoad = new CompletableFuture<>();
			AtomicInteger loads = new AtomicInteger();
			CompletableFuture<String> leader = mine.retrieve(1, () -> {
				loads.incrementAndGet();
				return slowLoad;
			});
			CompletableFuture<String> sameInstance = mine.retrieve(1, () -> {
				loads.incrementAndGet();
				return CompletableFuture.completedFuture("again");
			});
			// the lock is taken asynchronously: wait until the leader holds it before the other instance asks
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> !first.getBean(StringRedisTemplate.class).keys("contract:cache:products:*loader").isEmpty());
			CompletableFuture<String> otherInstance = theirs.retrieve(1, () -> {
				loads.incrementAndGet();
				return CompletableFuture.completedFuture("theirs");
			});
			assertThat(leader).as("returned while the loader is still running").isNotDone();
			assertThat(otherInstance).isNotDone();
			slowLoad.complete("kettle");
			assertThat(leader.join()).isEqualTo("kettle");
			assertThat(sameInstance.join()).isEqualTo("kettle");
			assertThat(otherInstance.join()).isEqualTo("kettle");
			assertThat(loads).hasValue(1);
			assertThat(theirs.get(1, String.class)).isEqualTo("kettle");
			assertThat(mine.retrieve(1, () -> CompletableFuture.completedFuture("reloaded")).join())
				.isEqualTo("kettle");
		}));
	}

	@Test
	void retrieveCallsTheLoaderAndCompletesOffTheRedisClientThreadsSoContinuationsMayUseRedis() {
		// a short timeout, so that a continuation stuck on a client I/O thread fails fast instead of after 60 s
		runner().withPropertyValues("spring.data.redis.timeout=2s").run((context) -> {
			Cache products = cache(context, "products");
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("contract:probe", "answered");
			CompletableFuture<String> slowLoad = new CompletableFuture<>();
			AtomicReference<String> loaderThread = new AtomicReference<>();
			CompletableFuture<String> loaded = products.retrieve(5, () -> {
				loaderThread.set(Thread.currentThread().getName());
				return slowLoad;
			});
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> loaderThread.get() != null);
			// blocks on Redis as Spring's cache interceptor does when it stores a Mono's value with Cache#put
			CompletableFuture<String> continued = loaded
				.thenApply((value) -> Thread.currentThread().getName() + " read " + redis.opsForValue().get("contract:probe"));
			slowLoad.complete("kettle");
			assertThat(continued).succeedsWithin(Duration.ofSeconds(10))
				.asString()
				.doesNotStartWith("lettuce-")
				.endsWith(" read answered");
			assertThat(loaderThread.get()).doesNotStartWith("lettuce-");
			assertThat(products.get(5, String.class)).isEqualTo("kettle");
		});
	}

	@Test
	void retrieveEndsWithinTheLibrarysCommandTimeoutWhenRedisHoldsItsCommands() {
		runner().withConfiguration(AutoConfigurations.of(RedisClientDefaultsAutoConfiguration.class))
			.withPropertyValues("redis-patterns.client.command-timeout=500ms")
			.run((context) -> {
				Cache products = cache(context, "products");
				assertThat(products.retrieve(8).get(10, TimeUnit.SECONDS)).isNull();
				// reads pass, scripts (the loader lock) wait: a Redis that stops answering part of the calls
				deployment().dataNodes().forEach((node) -> clientPause(node, "30000", "WRITE"));
				try {
					CompletableFuture<String> loaded = products.retrieve(8,
							() -> CompletableFuture.completedFuture("loaded without the lock"));
					assertThat(loaded).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("loaded without the lock");
				}
				finally {
					deployment().dataNodes().forEach((node) -> clientPause(node, "UNPAUSE"));
				}
			});
	}

	private static void clientPause(io.redispatterns.test.RedisNode node, String... arguments) {
		node.execute((commands) -> {
			io.lettuce.core.protocol.CommandArgs<String, String> args = new io.lettuce.core.protocol.CommandArgs<>(
					io.lettuce.core.codec.StringCodec.UTF8);
			if (!arguments[0].equals("UNPAUSE")) {
				args.add("PAUSE");
			}
			for (String argument : arguments) {
				args.add(argument);
			}
			return commands.dispatch(io.lettuce.core.protocol.CommandType.CLIENT,
					new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8), args);
		});
	}

	@Test
	void retrieveWithAFailingLoaderFailsTheFutureAndCachesNothing() {
		runner().run((context) -> {
			Cache products = cache(context, "products");
			CompletableFuture<String> failed = products.retrieve(3,
					() -> CompletableFuture.failedFuture(new IllegalStateException("backend down")));
			assertThat(failed).failsWithin(Duration.ofSeconds(10))
				.withThrowableThat()
				.withRootCauseInstanceOf(IllegalStateException.class);
			assertThat(products.get(3)).isNull();
			assertThat(products.retrieve(3, () -> CompletableFuture.completedFuture("ok")).join()).isEqualTo("ok");
		});
	}

	@Test
	void cacheableWorksOnMethodsReturningCompletableFutureMonoAndFlux() {
		runner().withUserConfiguration(ReactiveCachingConfiguration.class).run((context) -> {
			ReactiveProducts service = context.getBean(ReactiveProducts.class);
			assertThat(service.product(1).join()).isEqualTo(new Product(1, "p1"));
			assertThat(service.product(1).join()).isEqualTo(new Product(1, "p1"));
			assertThat(service.monoProduct(2).block()).isEqualTo(new Product(2, "p2"));
			assertThat(service.monoProduct(2).block()).isEqualTo(new Product(2, "p2"));
			assertThat(service.fluxProducts("kitchen").collectList().block()).containsExactly(new Product(3, "kitchen"),
					new Product(4, "kitchen"));
			assertThat(service.fluxProducts("kitchen").collectList().block()).containsExactly(new Product(3, "kitchen"),
					new Product(4, "kitchen"));
			assertThat(LOADS).hasValue(3);
		});
	}

	@Test
	void nullsAreCachedAsNullsWhenAllowedAndRefusedOtherwise() {
		runner().run((context) -> {
			Cache nullable = cache(context, "nullable");
			nullable.put("ghost", null);
			nullable.put("marker", NullValue.INSTANCE);
			for (String key : List.of("ghost", "marker")) {
				Cache.ValueWrapper wrapper = nullable.get(key);
				assertThat(wrapper).as(key).isNotNull();
				assertThat(wrapper.get()).as(key).isNull();
				assertThat(nullable.get(key, String.class)).isNull();
			}
			assertThat(context.getBean(StringRedisTemplate.class).opsForValue()
				.get("contract:cache:nullable:{nullable%3Amarker}")).contains("|N|").doesNotContain("{}");

			Cache strict = cache(context, "products");
			assertThatIllegalArgumentException().isThrownBy(() -> strict.put("ghost", null))
				.withMessageContaining("products");
			assertThatIllegalArgumentException().isThrownBy(() -> strict.put("marker", NullValue.INSTANCE));
			assertThat(strict.get("marker")).isNull();
		});
	}

	@Test
	void evictIfPresentAndInvalidateSayWhetherSomethingWasRemoved() {
		runner().run((context) -> {
			Cache products = cache(context, "products");
			assertThat(products.evictIfPresent(1)).isFalse();
			assertThat(products.invalidate()).isFalse();
			products.put(1, "kettle");
			products.put(2, "mug");
			assertThat(products.evictIfPresent(1)).isTrue();
			assertThat(products.get(1)).isNull();
			assertThat(products.invalidate()).isTrue();
			assertThat(products.get(2)).isNull();
			assertThat(products.invalidate()).isFalse();
		});
	}

	@Test
	void aReturnTypeThatCannotBeReadBackFailsOnItsFirstWriteNamingMethodAndType() {
		runner().withUserConfiguration(UnreadableOnWriteConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			Boxes boxes = context.getBean(Boxes.class);
			assertThatIllegalStateException().isThrownBy(() -> boxes.box(1))
				.withMessageContaining("Boxes.box(long)")
				.withMessageContaining(Box.class.getName())
				.withMessageContaining("Shape");
			assertThatIllegalStateException().isThrownBy(() -> boxes.box(2)).withMessageContaining("Boxes.box(long)");
			assertThat(context.getBean(StringRedisTemplate.class).keys("contract:cache:boxes:*")).isEmpty();
		});
	}

	interface Shape {

	}

	record Circle(double radius) implements Shape {
	}

	record Box(Shape shape) {
	}

	@Configuration(proxyBeanMethods = false)
	static class UnreadableOnWriteConfiguration {

		@Bean
		Boxes boxes() {
			return new Boxes();
		}

	}

	static class Boxes {

		@CachedWithLock(cache = "boxes", key = "#id")
		public Box box(long id) {
			return new Box(new Circle(id));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class ReactiveCachingConfiguration {

		@Bean
		ReactiveProducts reactiveProducts() {
			return new ReactiveProducts();
		}

	}

	static class ReactiveProducts {

		@Cacheable("async-products")
		public CompletableFuture<Product> product(long id) {
			LOADS.incrementAndGet();
			return CompletableFuture.supplyAsync(() -> new Product(id, "p" + id));
		}

		@Cacheable("mono-products")
		public Mono<Product> monoProduct(long id) {
			LOADS.incrementAndGet();
			return Mono.fromSupplier(() -> new Product(id, "p" + id));
		}

		@Cacheable("flux-products")
		public Flux<Product> fluxProducts(String category) {
			LOADS.incrementAndGet();
			return Flux.just(new Product(3, category), new Product(4, category));
		}

	}

}
