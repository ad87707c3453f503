package io.redispatterns.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link CacheTemplate#getAll} and {@link CacheTemplate#putAll}: one {@code MGET} per slot and no
 * single {@code GET}s, missing keys loaded in one call, each key loaded once across instances.
 */
@WithRedis(topology = RedisTopology.STANDALONE)
class BulkCacheTests {

	RedisDeployment redis;

	record Product(long id, String name) {
	}

	ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("redis-patterns.key-prefix=bulk", "redis-patterns.cache.ttl-jitter=0%",
					"redis-patterns.cache.caches.nullable.cache-nulls=1m");
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
	}

	static List<Long> ids(int from, int to) {
		return IntStream.rangeClosed(from, to).mapToObj(Long::valueOf).toList();
	}

	static Map<Long, Product> products(Set<Long> ids) {
		Map<Long, Product> products = new LinkedHashMap<>();
		ids.forEach((id) -> products.put(id, new Product(id, "p" + id)));
		return products;
	}

	private Map<String, Long> calls(List<CommandCalls> before) {
		Map<String, Long> total = new ConcurrentHashMap<>();
		List<RedisNode> nodes = this.redis.dataNodes();
		for (int i = 0; i < nodes.size(); i++) {
			CommandCalls.of(nodes.get(i)).since(before.get(i)).asMap().forEach((name, count) -> total.merge(name, count, Long::sum));
		}
		return total;
	}

	private List<CommandCalls> snapshot() {
		return this.redis.dataNodes().stream().map(CommandCalls::of).toList();
	}

	@Test
	void getAllReadsEveryKeyWithOneMgetPerSlotAndReturnsTheHitsInTheOrderAsked() {
		runner().run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			caches.putAll("products", products(Set.copyOf(ids(1, 10))), null);
			List<Long> asked = List.of(12L, 3L, 1L, 11L, 7L);
			List<CommandCalls> before = snapshot();
			Map<Long, Product> found = caches.getAll("products", asked, Product.class);
			Map<String, Long> calls = calls(before);
			assertThat(found).containsExactly(Map.entry(3L, new Product(3, "p3")), Map.entry(1L, new Product(1, "p1")),
					Map.entry(7L, new Product(7, "p7")));
			// every entry has its own hash tag: one MGET per slot on Cluster, one MGET on a single server
			long expectedMgets = (this.redis.topology() == RedisTopology.CLUSTER) ? asked.size() : 1;
			assertThat(calls).containsEntry("mget", expectedMgets).doesNotContainKey("get");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("cache.gets").tag("cache", "products").tag("result", "hit").counter().count())
				.isEqualTo(3);
			assertThat(meters.get("cache.gets").tag("cache", "products").tag("result", "miss").counter().count())
				.isEqualTo(2);
		});
	}

	@Test
	void putAllStoresEveryValueWithTheGivenTtlAndEvictsANullWhereNullsAreNotCached() {
		runner().run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			caches.put("products", 3, new Product(3, "old"));
			Map<Long, Product> values = new LinkedHashMap<>(products(Set.of(1L, 2L)));
			values.put(3L, null);
			caches.putAll("products", values, Duration.ofSeconds(30));
			assertThat(caches.getAll("products", ids(1, 3), Product.class)).containsOnlyKeys(1L, 2L);
			Long ttl = redis.getExpire("bulk:cache:products:{products%3A1}", TimeUnit.MILLISECONDS);
			assertThat(ttl).isPositive().isLessThanOrEqualTo(30_000);

			Map<Long, Product> withNull = new LinkedHashMap<>();
			withNull.put(9L, null);
			caches.putAll("nullable", withNull, null);
			AtomicInteger loads = new AtomicInteger();
			assertThat(caches.getAll("nullable", List.of(9L), Product.class, (missing) -> {
				loads.incrementAndGet();
				return products(missing);
			})).as("a cached null is a hit without a value").isEmpty();
			assertThat(loads).hasValue(0);
		});
	}

	@Test
	void getAllWithALoaderLoadsOnlyTheMissingKeysInOneCallAndStoresThem() {
		runner().run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			caches.putAll("products", products(Set.of(2L, 4L)), null);
			List<Set<Long>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
			Map<Long, Product> found = caches.getAll("products", ids(1, 5), Product.class, (missing) -> {
				calls.add(Set.copyOf(missing));
				Map<Long, Product> loaded = products(missing);
				loaded.remove(5L); // no such product
				return loaded;
			});
			assertThat(found.keySet()).containsExactly(1L, 2L, 3L, 4L);
			assertThat(calls).containsExactly(Set.of(1L, 3L, 5L));
			assertThat(context.getBean(StringRedisTemplate.class).keys("bulk:cache:products:*loader")).isEmpty();

			calls.clear();
			assertThat(caches.getAll("products", ids(1, 5), Product.class, (missing) -> {
				calls.add(Set.copyOf(missing));
				return Map.of();
			})).containsOnlyKeys(1L, 2L, 3L, 4L);
			assertThat(calls).as("only the key without a value (not cached without cache-nulls) is asked again")
				.containsExactly(Set.of(5L));
		});
	}

	@Test
	void keysBeingLoadedByAnotherInstanceAreWaitedForAndEveryKeyIsLoadedOnce() {
		ApplicationContextRunner patient = runner().withPropertyValues("redis-patterns.cache.caches.products.wait-for=1m");
		patient.run((first) -> patient.run((second) -> {
			CacheTemplate mine = first.getBean(CacheTemplate.class);
			CacheTemplate theirs = second.getBean(CacheTemplate.class);
			Map<Long, AtomicInteger> loads = new ConcurrentHashMap<>();
			CountDownLatch release = new CountDownLatch(1);
			AtomicReference<Set<Long>> secondAsked = new AtomicReference<>();
			CompletableFuture<Map<Long, Product>> leader = CompletableFuture.supplyAsync(() -> mine.getAll("products",
					ids(1, 6), Product.class, (missing) -> {
						missing.forEach((id) -> loads.computeIfAbsent(id, (k) -> new AtomicInteger()).incrementAndGet());
						await(release);
						return products(missing);
					}));
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> loads.size() == 6);
			CompletableFuture<Map<Long, Product>> follower = CompletableFuture.supplyAsync(() -> theirs.getAll("products",
					ids(4, 9), Product.class, (missing) -> {
						secondAsked.compareAndSet(null, Set.copyOf(missing));
						missing.forEach((id) -> loads.computeIfAbsent(id, (k) -> new AtomicInteger()).incrementAndGet());
						return products(missing);
					}));
			// the other instance loads only the keys nobody holds, and waits for the others
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> secondAsked.get() != null);
			assertThat(secondAsked.get()).containsExactlyInAnyOrder(7L, 8L, 9L);
			assertThat(follower).isNotDone();
			release.countDown();
			assertThat(leader).succeedsWithin(Duration.ofSeconds(10)).extracting(Map::keySet)
				.isEqualTo(Set.copyOf(ids(1, 6)));
			assertThat(follower).succeedsWithin(Duration.ofSeconds(10))
				.isEqualTo(products(Set.copyOf(ids(4, 9))));
			assertThat(loads.keySet()).containsExactlyInAnyOrderElementsOf(ids(1, 9));
			assertThat(loads.values().stream().map(AtomicInteger::get).collect(Collectors.toSet())).containsExactly(1);
		}));
	}

	@Test
	void aFailingLoaderReleasesItsLocksSoTheNextCallLoadsAtOnce() {
		runner().withPropertyValues("redis-patterns.cache.caches.products.wait-for=1m").run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			assertThatIllegalStateException().isThrownBy(() -> caches.getAll("products", ids(1, 3), Product.class,
					(missing) -> {
						throw new IllegalStateException("backend down");
					})).withMessage("backend down");
			assertThat(context.getBean(StringRedisTemplate.class).keys("bulk:cache:products:*loader")).isEmpty();
			assertThat(caches.getAll("products", ids(1, 3), Product.class, BulkCacheTests::products)).hasSize(3);
		});
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
