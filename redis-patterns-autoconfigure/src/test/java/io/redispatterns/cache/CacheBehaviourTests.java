package io.redispatterns.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behaviour of the cache template against real Redis; run for each topology by a subclass.
 */
abstract class CacheBehaviourTests {

	record Product(long id, String name, List<String> labels) {
	}

	protected abstract RedisDeployment deployment();

	ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, LockAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, deployment()::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("redis-patterns.key-prefix=shop", "redis-patterns.cache.ttl-jitter=0%");
	}

	@BeforeEach
	void flush() {
		deployment().flushAll();
	}

	@Test
	void hitIsExactlyOneGetCommand() {
		runner().run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			caches.put("products", 1, new Product(1, "kettle", List.of("kitchen")));
			assertThat(caches.get("products", 1, Product.class)).isNotNull();
			long before = totalCalls();
			long getsBefore = calls("get");
			int hits = 20;
			AtomicInteger loads = new AtomicInteger();
			for (int i = 0; i < hits; i++) {
				Product product = caches.getOrLoad("products", 1, Product.class, () -> {
					loads.incrementAndGet();
					return null;
				});
				assertThat(product.name()).isEqualTo("kettle");
			}
			long commands = totalCalls() - before;
			System.out.println("[measure] commands per hit: " + (double) commands / hits);
			assertThat(loads).hasValue(0);
			assertThat(calls("get") - getsBefore).isEqualTo(hits);
			assertThat(commands).isEqualTo(hits);
		});
	}

	@Test
	void roundTripsDeclaredGenericTypesWithoutClassNames() {
		runner().run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			List<Product> page = List.of(new Product(1, "kettle", List.of("a")), new Product(2, "mug", List.of()));
			List<Product> loaded = caches.getOrLoad("catalog", "kitchen:1", new ParameterizedTypeReference<List<Product>>() {
			}, () -> page);
			assertThat(loaded).isEqualTo(page);
			List<Product> cached = caches.get("catalog", "kitchen:1", new ParameterizedTypeReference<List<Product>>() {
			});
			assertThat(cached).isEqualTo(page).first().isInstanceOf(Product.class);
			Optional<Product> optional = caches.getOrLoad("optional", 7,
					new ParameterizedTypeReference<Optional<Product>>() {
					}, () -> Optional.of(new Product(7, "pan", List.of())));
			assertThat(optional).contains(new Product(7, "pan", List.of()));
			assertThat(caches.get("optional", 7, new ParameterizedTypeReference<Optional<Product>>() {
			})).contains(new Product(7, "pan", List.of()));
			String raw = redis(context).opsForValue().get("shop:cache:catalog:{catalog%3Akitchen%3A1}");
			assertThat(raw).startsWith("rp1|").contains("\"name\":\"kettle\"").doesNotContain("Product")
				.doesNotContain("@class");
		});
	}

	@Test
	void cachesNullsWithTheirOwnShortTtlOnlyWhenConfigured() {
		runner().withPropertyValues("redis-patterns.cache.caches.users.cache-nulls=30s").run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			AtomicInteger loads = new AtomicInteger();
			for (int i = 0; i < 3; i++) {
				assertThat(caches.getOrLoad("users", "ghost", String.class, () -> {
					loads.incrementAndGet();
					return null;
				})).isNull();
			}
			assertThat(loads).hasValue(1);
			Long ttl = redis(context).getExpire("shop:cache:users:{users%3Aghost}", TimeUnit.MILLISECONDS);
			assertThat(ttl).isPositive().isLessThanOrEqualTo(30_000);
			assertThat(redis(context).opsForValue().get("shop:cache:users:{users%3Aghost}")).startsWith("rp1|").contains("|N|");
			for (int i = 0; i < 3; i++) {
				caches.getOrLoad("plain", "ghost", String.class, () -> {
					loads.incrementAndGet();
					return null;
				});
			}
			assertThat(loads).hasValue(4);
			assertThat(redis(context).hasKey("shop:cache:plain:{plain%3Aghost}")).isFalse();
		});
	}

	@Test
	void everyEntryHasATtlShortenedByAtMostTheJitter() {
		runner().withPropertyValues("redis-patterns.cache.ttl-jitter=20%", "redis-patterns.cache.caches.prices.ttl=100s")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				Set<Long> ttls = new HashSet<>();
				for (int i = 0; i < 30; i++) {
					caches.getOrLoad("prices", "sku-" + i, Integer.class, () -> 42);
					Long ttl = redis(context).getExpire("shop:cache:prices:{prices%3Asku-" + i + "}", TimeUnit.MILLISECONDS);
					assertThat(ttl).isBetween(79_000L, 100_000L);
					ttls.add(ttl / 100);
				}
				assertThat(ttls).hasSizeGreaterThan(5);
			});
	}

	@Test
	void entryThatNoLongerDecodesIsAMissEvictedAndCounted() {
		runner().run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			StringRedisTemplate redis = redis(context);
			redis.opsForValue().set("shop:cache:products:{products%3A1}", "\u0000garbage");
			redis.opsForValue().set("shop:cache:products:{products%3A2}", "rp1|" + (System.currentTimeMillis() + 60_000) + "|5|V|\"a string\"");
			Product one = caches.getOrLoad("products", 1, Product.class, () -> new Product(1, "fresh", List.of()));
			assertThat(one.name()).isEqualTo("fresh");
			assertThat(caches.get("products", 2, Product.class)).isNull();
			assertThat(redis.hasKey("shop:cache:products:{products%3A2}")).isFalse();
			assertThat(caches.get("products", 1, Product.class)).isEqualTo(one);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("redis.patterns.cache.corrupt").tag("cache", "products").counter().count())
				.isEqualTo(2);
		});
	}

	@Test
	void tagsEvictExactlyTheTaggedEntries() {
		ApplicationContextRunner other = runner().withPropertyValues("redis-patterns.key-prefix=shop2");
		other.run((second) -> runner().run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			CacheTemplate otherPrefix = second.getBean(CacheTemplate.class);
			caches.put("catalog", "a", "A", List.of("shoes"));
			caches.put("catalog", "b", "B", List.of("shoes", "sale"));
			caches.put("catalog", "c", "C", List.of("hats"));
			caches.put("other", "a", "A", List.of("shoes"));
			otherPrefix.put("catalog", "a", "A", List.of("shoes"));
			assertThat(caches.evictTags("catalog", List.of("shoes"))).isEqualTo(2);
			assertThat(caches.get("catalog", "a", String.class)).isNull();
			assertThat(caches.get("catalog", "b", String.class)).isNull();
			assertThat(caches.get("catalog", "c", String.class)).isEqualTo("C");
			assertThat(caches.get("other", "a", String.class)).isEqualTo("A");
			assertThat(otherPrefix.get("catalog", "a", String.class)).isEqualTo("A");
			Long tagTtl = redis(context).getExpire("shop:cache:catalog:{hats}:tags", TimeUnit.MILLISECONDS);
			assertThat(tagTtl).isPositive();
		}));
	}

	@Test
	void tagIndexForgetsEntriesThatExpiredSoChurnDoesNotGrowIt() {
		runner().withPropertyValues("redis-patterns.cache.caches.flash.ttl=300ms").run((context) -> {
			RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
			StringRedisTemplate redis = redis(context);
			String tagKey = caches.tagKey("flash", "deals");
			// one long-lived entry keeps the tag in use (and its index alive) throughout
			caches.getOrLoad("flash", caches.settings("flash").withTtl(Duration.ofHours(1)), "keeper", String.class,
					List.of("deals"), () -> "kept", () -> "kept");
			int perRound = 50;
			int rounds = 4;
			for (int round = 0; round < rounds; round++) {
				List<String> keys = new ArrayList<>();
				for (int i = 0; i < perRound; i++) {
					String id = round + "-" + i;
					caches.put("flash", id, "deal " + id, List.of("deals"));
					keys.add(caches.entryKeys("flash", id).value());
				}
				// the whole round has expired before the next one is written
				org.awaitility.Awaitility.await()
					.atMost(Duration.ofSeconds(20))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> keys.stream().noneMatch(redis::hasKey));
			}
			caches.put("flash", "last", "deal", List.of("deals"));
			long members = tagIndexSize(redis, tagKey);
			System.out.println("[measure] tag index members after " + (rounds * perRound + 1)
					+ " short-lived (and one long-lived) tagged entries: " + members);
			// at most the entries that were live at the last write (the last round's members may outlive
			// their entries by the milliseconds between a write and its tag update)
			assertThat(members).isLessThanOrEqualTo(perRound + 2);
			assertThat(caches.evictTags("flash", List.of("deals"))).isEqualTo(2);
		});
	}

	/** Members of a tag index, whatever type the implementation stores it as. */
	private static long tagIndexSize(StringRedisTemplate redis, String tagKey) {
		org.springframework.data.redis.connection.DataType type = redis.type(tagKey);
		if (type == org.springframework.data.redis.connection.DataType.SET) {
			return redis.opsForSet().size(tagKey);
		}
		if (type == org.springframework.data.redis.connection.DataType.ZSET) {
			return redis.opsForZSet().size(tagKey);
		}
		throw new AssertionError("no tag index at " + tagKey + " (type " + type + ")");
	}

	@Test
	void patternEvictionRemovesOnlyMatchingKeysOfOneCacheOnEveryMaster() {
		ApplicationContextRunner other = runner().withPropertyValues("redis-patterns.key-prefix=shop2");
		other.run((second) -> runner().run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			for (int i = 0; i < 40; i++) {
				caches.put("catalog", "shoes:" + i, i);
				caches.put("catalog", "hats:" + i, i);
				caches.put("other", "shoes:" + i, i);
				second.getBean(CacheTemplate.class).put("catalog", "shoes:" + i, i);
			}
			assertThat(caches.evictPattern("catalog", "shoes:*")).isEqualTo(40);
			for (int i = 0; i < 40; i++) {
				assertThat(caches.get("catalog", "shoes:" + i, Integer.class)).isNull();
				assertThat(caches.get("catalog", "hats:" + i, Integer.class)).isEqualTo(i);
				assertThat(caches.get("other", "shoes:" + i, Integer.class)).isEqualTo(i);
				assertThat(second.getBean(CacheTemplate.class).get("catalog", "shoes:" + i, Integer.class)).isEqualTo(i);
			}
			assertThat(caches.clear("catalog")).isEqualTo(40);
			assertThat(caches.get("other", "shoes:1", Integer.class)).isEqualTo(1);
			assertThat(second.getBean(CacheTemplate.class).get("catalog", "shoes:1", Integer.class)).isEqualTo(1);
		}));
	}

	@Test
	void evictionDuringALoadKeepsTheLoadersResultOut() throws Exception {
		evictionDuringALoadKeepsTheLoadersResultOut(runner(), true);
	}

	@Test
	void loaderLocksDoNotNeedTheLockPattern() throws Exception {
		evictionDuringALoadKeepsTheLoadersResultOut(runner().withPropertyValues("redis-patterns.lock.enabled=false"), false);
	}

	private void evictionDuringALoadKeepsTheLoadersResultOut(ApplicationContextRunner runner, boolean lockPackage) {
		runner.run((context) -> {
			assertThat(context.getBeanNamesForType(LockTemplate.class).length > 0).isEqualTo(lockPackage);
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			CountDownLatch loading = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			ExecutorService executor = Executors.newSingleThreadExecutor();
			try {
				Future<String> load = executor.submit(() -> caches.getOrLoad("products", 9, String.class, () -> {
					loading.countDown();
					release.await(10, TimeUnit.SECONDS);
					return "old";
				}));
				assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
				// the loader lock lives in the cache's own key space, in the entry's slot, without a fencing counter
				assertThat(redis(context).hasKey("shop:cache:products:{products%3A9}:loader")).isTrue();
				assertThat(keys(context, "shop:lock:*")).isEmpty();
				caches.evict("products", 9);
				release.countDown();
				assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo("old");
				assertThat(redis(context).hasKey("shop:cache:products:{products%3A9}")).isFalse();
			}
			finally {
				executor.shutdownNow();
			}
		});
	}

	@Test
	void tagEvictionDuringALoadKeepsTheLoadersResultOut() throws Exception {
		runner().run((context) -> {
			CacheTemplate caches = context.getBean(CacheTemplate.class);
			CountDownLatch loading = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			ExecutorService executor = Executors.newSingleThreadExecutor();
			try {
				Future<String> load = executor.submit(() -> caches.getOrLoad("catalog", "page:1", String.class,
						List.of("shoes"), () -> {
							loading.countDown();
							release.await(10, TimeUnit.SECONDS);
							return "read-before-the-update";
						}));
				assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
				// the key is in the tag set while its loader runs
				assertThat(redis(context).opsForZSet().score("shop:cache:catalog:{shoes}:tags",
						"shop:cache:catalog:{catalog%3Apage%3A1}")).isNotNull();
				caches.evictTags("catalog", List.of("shoes"));
				release.countDown();
				assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo("read-before-the-update");
				assertThat(redis(context).hasKey("shop:cache:catalog:{catalog%3Apage%3A1}")).isFalse();
				assertThat(caches.getOrLoad("catalog", "page:1", String.class, List.of("shoes"), () -> "fresh"))
					.isEqualTo("fresh");
				assertThat(caches.evictTags("catalog", List.of("shoes"))).isEqualTo(1);
				assertThat(caches.get("catalog", "page:1", String.class)).isNull();
			}
			finally {
				executor.shutdownNow();
			}
		});
	}

	@Test
	void userLocksAndLoaderLocksNeverShareKeys() {
		runner().withPropertyValues("redis-patterns.cache.wait-for=300ms", "redis-patterns.cache.on-lock-timeout=fail")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				LockTemplate locks = context.getBean(LockTemplate.class);
				// a user lock whose name equals "<cache>:<key>" of a cache entry
				LockLease userLock = locks.tryAcquire("products:42", Duration.ofSeconds(30)).orElseThrow();
				try {
					AtomicInteger loads = new AtomicInteger();
					for (int i = 0; i < 3; i++) {
						caches.evict("products", 42);
						// neither blocked by the user lock nor failing with a lock timeout
						assertThat(caches.getOrLoad("products", 42, String.class, () -> "v" + loads.incrementAndGet()))
							.isEqualTo("v" + loads.get());
						assertThat(redis(context).hasKey("shop:cache:products:{products%3A42}")).isTrue();
					}
					assertThat(loads).hasValue(3);
					caches.clear("products");
					caches.getOrLoad("products", 42, String.class, () -> "again");
					caches.evictPattern("products", "4*");
					assertThat(userLock.isValid()).isTrue();
					assertThat(redis(context).opsForValue().get("shop:lock:held:{products%3A42}"))
						.isEqualTo(userLock.ownerToken());
					// neither loader elections nor user locks leave fencing counters behind
					for (int i = 0; i < 20; i++) {
						caches.getOrLoad("products", 1000 + i, String.class, () -> "x");
					}
					assertThat(keys(context, "shop:lock:fence:*")).isEmpty();
				}
				finally {
					userLock.release();
				}
			});
	}

	@Test
	void staleReadReturnsAtOnceAndExactlyOneRefreshRuns() throws Exception {
		runner().withPropertyValues("redis-patterns.cache.caches.quotes.ttl=2s",
				"redis-patterns.cache.caches.quotes.stale-while-revalidate=2s")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(caches.getOrLoad("quotes", "eur", String.class, () -> "v1")).isEqualTo("v1");
				// waits for the entry to turn stale (a plain get counts it without refreshing), not for a fixed time,
				// so the readers below get the whole stale window
				await(() -> caches.get("quotes", "eur", String.class) != null
						&& staleReads(meters, "quotes") > 0);
				AtomicInteger refreshes = new AtomicInteger();
				CountDownLatch gate = new CountDownLatch(1);
				ExecutorService readers = Executors.newFixedThreadPool(20);
				try {
					List<Future<String>> results = new ArrayList<>();
					for (int i = 0; i < 20; i++) {
						results.add(readers.submit(() -> caches.getOrLoad("quotes", "eur", String.class, () -> {
							refreshes.incrementAndGet();
							gate.await(10, TimeUnit.SECONDS);
							return "v2";
						})));
					}
					for (Future<String> result : results) {
						// the refresh is still blocked on the gate, so these returned without waiting for it
						assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
					}
					gate.countDown();
					await(() -> "v2".equals(caches.get("quotes", "eur", String.class)));
					assertThat(refreshes).hasValue(1);
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					assertThat(registry.get("cache.gets").tag("cache", "quotes").tag("result", "stale").counter().count())
						.isGreaterThanOrEqualTo(20);
				}
				finally {
					readers.shutdownNow();
				}
			});
	}

	@Test
	void earlyRefreshRewritesAFreshEntryBeforeItsTtl() {
		runner().withPropertyValues("redis-patterns.cache.caches.rates.ttl=10m",
				"redis-patterns.cache.caches.rates.early-refresh-beta=100000")
			.run((context) -> {
				CacheTemplate caches = context.getBean(CacheTemplate.class);
				AtomicInteger loads = new AtomicInteger();
				for (int i = 0; i < 50 && loads.get() < 2; i++) {
					caches.getOrLoad("rates", "usd", Integer.class, () -> {
						Thread.sleep(20);
						return loads.incrementAndGet();
					});
					Thread.sleep(20);
				}
				await(() -> loads.get() >= 2);
				// the first load stored 1: only a refresh can have rewritten the entry with a later load's value
				await(() -> {
					Integer stored = caches.get("rates", "usd", Integer.class);
					return stored != null && stored >= 2;
				});
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				// ... of an entry that never expired (one miss, the first call) ...
				assertThat(registry.get("cache.gets").tag("cache", "rates").tag("result", "miss").counter().count())
					.isEqualTo(1);
				assertThat(staleReads(registry, "rates")).as("no stale read").isZero();
				// ... by the background refresh
				assertThat(registry.get("redis.patterns.cache.loads").tag("cache", "rates").tag("outcome", "refreshed")
					.timer()
					.count()).isGreaterThanOrEqualTo(1);
				Long ttl = redis(context).getExpire("shop:cache:rates:{rates%3Ausd}", TimeUnit.SECONDS);
				assertThat(ttl).isGreaterThan(500);
			});
	}

	@Test
	void lockTimeoutServesStaleCallsTheLoaderOrFailsAsConfigured() {
		runner().withPropertyValues("redis-patterns.cache.wait-for=300ms",
				"redis-patterns.cache.caches.strict-cache.on-lock-timeout=fail",
				"redis-patterns.cache.caches.loose-cache.on-lock-timeout=call-loader",
				"redis-patterns.cache.caches.served-stale.on-lock-timeout=serve-stale",
				"redis-patterns.cache.caches.served-stale.wait-for=2s")
			.run((context) -> {
				RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
				StringRedisTemplate redis = redis(context);
				// another instance holds the loader locks and never writes
				redis.opsForValue().set("shop:cache:loose-cache:{loose-cache%3A5}:loader", "other-owner", Duration.ofSeconds(30));
				redis.opsForValue().set("shop:cache:strict-cache:{strict-cache%3A5}:loader", "other-owner", Duration.ofSeconds(30));
				redis.opsForValue().set("shop:cache:stale-cache:{stale-cache%3A5}:loader", "other-owner", Duration.ofSeconds(30));
				assertThat(caches.getOrLoad("loose-cache", 5, String.class, () -> "loaded")).isEqualTo("loaded");
				assertThat(redis.hasKey("shop:cache:loose-cache:{loose-cache%3A5}")).isFalse();
				assertThat(caches.getOrLoad("stale-cache", 5, String.class, () -> "loaded")).isEqualTo("loaded");
				org.assertj.core.api.Assertions
					.assertThatExceptionOfType(CacheLockTimeoutException.class)
					.isThrownBy(() -> caches.getOrLoad("strict-cache", 5, String.class, () -> "loaded"))
					.satisfies((ex) -> assertThat(ex.getCacheName()).isEqualTo("strict-cache"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("redis.patterns.cache.lock.waits").tag("cache", "strict-cache").timer().count())
					.isEqualTo(1);

				// serve-stale: a stale entry appears while the caller waits and the holder never writes a fresh one
				redis.opsForValue().set("shop:cache:served-stale:{served-stale%3A5}:loader", "other-owner",
						Duration.ofSeconds(30));
				AtomicInteger loads = new AtomicInteger();
				ExecutorService executor = Executors.newSingleThreadExecutor();
				try {
					Future<String> waiter = executor.submit(() -> caches.getOrLoad("served-stale", 5, String.class,
							() -> "loaded-" + loads.incrementAndGet()));
					await(() -> caches.pendingWakeUps().contains("shop:cache:served-stale:{served-stale%3A5}"));
					redis.opsForValue().set("shop:cache:served-stale:{served-stale%3A5}",
							"rp1|" + (System.currentTimeMillis() - 1000) + "|5|V|\"stale-value\"", Duration.ofSeconds(30));
					assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("stale-value");
				}
				finally {
					executor.shutdownNow();
				}
				assertThat(loads).hasValue(0);
				assertThat(registry.get("redis.patterns.cache.lock.waits").tag("cache", "served-stale").timer().count())
					.isEqualTo(1);
			});
	}

	@Test
	void interruptedWaiterStopsWaitingAndIsNotCountedAsARedisFailure() {
		runner().withPropertyValues("redis-patterns.cache.wait-for=30s",
				"redis-patterns.cache.circuit-breaker.failure-threshold=2")
			.run((context) -> {
				RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
				StringRedisTemplate redis = redis(context);
				AtomicInteger loads = new AtomicInteger();
				ExecutorService executor = Executors.newSingleThreadExecutor();
				try {
					for (int i = 0; i < 4; i++) {
						// another instance holds the loader lock and is slow
						redis.opsForValue().set("shop:cache:products:{products%3A7" + i + "}:loader", "other-owner",
								Duration.ofSeconds(60));
						int id = 70 + i;
						java.util.concurrent.atomic.AtomicReference<Thread> worker = new java.util.concurrent.atomic.AtomicReference<>();
						Future<Boolean> waiter = executor.submit(() -> {
							worker.set(Thread.currentThread());
							try {
								caches.getOrLoad("products", id, String.class, () -> "v" + loads.incrementAndGet());
								return false;
							}
							catch (CacheLoaderException ex) {
								// the flag is kept for the caller to see (and cleared here for the pool)
								return Thread.interrupted();
							}
						});
						await(() -> caches.pendingWakeUps().contains("shop:cache:products:{products%3A" + id + "}"));
						worker.get().interrupt();
						assertThat(waiter.get(10, TimeUnit.SECONDS)).as("interrupted waiter stops with its flag set")
							.isTrue();
					}
					assertThat(loads).hasValue(0);
					assertThat(caches.circuitState()).isEqualTo("CLOSED");
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					assertThat(registry.find("redis.patterns.cache.errors").counters())
						.allSatisfy((counter) -> assertThat(counter.count()).isZero());
					assertThat(caches.getOrLoad("products", 1, String.class, () -> "cached")).isEqualTo("cached");
					assertThat(caches.get("products", 1, String.class)).isEqualTo("cached");
				}
				finally {
					executor.shutdownNow();
				}
			});
	}

	@Test
	void invalidationSkipsRedisWhileTheCircuitBreakerIsOpen() {
		runner().withPropertyValues("redis-patterns.cache.circuit-breaker.failure-threshold=2",
				"redis-patterns.cache.circuit-breaker.open-duration=1m")
			.run((context) -> {
				RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
				caches.put("catalog", "shoes:1", "A", List.of("shoes"));
				caches.put("catalog", "hats:1", "B");
				// Redis was found down by other calls
				caches.breaker().recordFailure();
				caches.breaker().recordFailure();
				assertThat(caches.circuitState()).isEqualTo("OPEN");
				caches.evict("catalog", "hats:1");
				assertThat(caches.evictTags("catalog", List.of("shoes"))).isZero();
				assertThat(caches.evictPattern("catalog", "*")).isZero();
				assertThat(caches.clear("catalog")).isZero();
				// not one command was sent
				StringRedisTemplate redis = redis(context);
				assertThat(redis.hasKey("shop:cache:catalog:{catalog%3Ashoes%3A1}")).isTrue();
				assertThat(redis.hasKey("shop:cache:catalog:{catalog%3Ahats%3A1}")).isTrue();
				assertThat(redis.opsForZSet().size("shop:cache:catalog:{shoes}:tags")).isEqualTo(1);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("redis.patterns.cache.errors").tag("cache", "catalog").tag("operation", "evict")
					.counter()
					.count()).isEqualTo(4);
			});
	}

	@Test
	void waitsThatTimeOutLeaveNoWakeUpBehind() {
		runner().withPropertyValues("redis-patterns.cache.wait-for=300ms",
				"redis-patterns.cache.on-lock-timeout=call-loader")
			.run((context) -> {
				RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
				StringRedisTemplate redis = redis(context);
				for (int i = 0; i < 5; i++) {
					// another instance holds the loader lock and never writes, so no wake-up is published
					redis.opsForValue().set("shop:cache:products:{products%3A" + i + "}:loader", "other-owner",
							Duration.ofSeconds(30));
					assertThat(caches.getOrLoad("products", i, String.class, () -> "loaded")).isEqualTo("loaded");
				}
				assertThat(caches.pendingWakeUps()).isEmpty();
			});
	}

	@Test
	void waiterReturnsTheValueTheLockHolderWrites() throws Exception {
		runner().run((first) -> runner().run((second) -> {
			CacheTemplate one = first.getBean(CacheTemplate.class);
			CacheTemplate two = second.getBean(CacheTemplate.class);
			CountDownLatch loading = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			ExecutorService executor = Executors.newFixedThreadPool(2);
			try {
				Future<String> loader = executor.submit(() -> one.getOrLoad("products", 11, String.class, () -> {
					loading.countDown();
					release.await(10, TimeUnit.SECONDS);
					return "from-one";
				}));
				assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
				Future<String> waiter = executor.submit(() -> two.getOrLoad("products", 11, String.class, () -> "from-two"));
				// the other instance waits for the holder's wake-up (it registered for it), not for a fixed time
				await(() -> second.getBean(RedisCacheTemplate.class).pendingWakeUps()
					.contains("shop:cache:products:{products%3A11}"));
				assertThat(waiter).isNotDone();
				release.countDown();
				assertThat(loader.get(10, TimeUnit.SECONDS)).isEqualTo("from-one");
				assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("from-one");
			}
			finally {
				executor.shutdownNow();
			}
		}));
	}

	static void await(java.util.function.BooleanSupplier condition) {
		await(condition, 10);
	}

	static void await(java.util.function.BooleanSupplier condition, int seconds) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within " + seconds + "s").isLessThan(deadline);
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** Keys matching a glob, on every master. */
	Set<String> keys(org.springframework.context.ApplicationContext context, String glob) {
		Set<String> found = new java.util.TreeSet<>();
		for (RedisNode node : deployment().dataNodes()) {
			if (!node.name().contains("replica")) {
				found.addAll(node.execute((commands) -> commands.keys(glob)));
			}
		}
		return found;
	}

	static StringRedisTemplate redis(org.springframework.context.ApplicationContext context) {
		return new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
	}

	long totalCalls() {
		long total = 0;
		for (RedisNode node : deployment().dataNodes()) {
			if (!node.name().contains("replica")) {
				CommandCalls calls = CommandCalls.of(node);
				// Lettuce's Cluster topology refreshes are the client's own, not the cache's work
				total += calls.total() - calls.asMap()
					.entrySet()
					.stream()
					.filter((entry) -> entry.getKey().startsWith("cluster|"))
					.mapToLong(Map.Entry::getValue)
					.sum();
			}
		}
		return total;
	}

	long calls(String command) {
		long total = 0;
		for (RedisNode node : deployment().dataNodes()) {
			if (!node.name().contains("replica")) {
				total += CommandCalls.of(node).get(command);
			}
		}
		return total;
	}

	static Duration ms(long millis) {
		return Duration.ofMillis(millis);
	}

	/** Stale reads counted for a cache (the meter exists at zero from start-up). */
	private static double staleReads(io.micrometer.core.instrument.MeterRegistry registry, String cache) {
		io.micrometer.core.instrument.Counter stale = registry.find("cache.gets").tag("cache", cache).tag("result", "stale").counter();
		return (stale != null) ? stale.count() : 0;
	}

}
