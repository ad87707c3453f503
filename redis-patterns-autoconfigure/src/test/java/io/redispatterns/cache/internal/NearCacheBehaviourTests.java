package io.redispatterns.cache.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.lettuce.core.KillArgs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
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
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache against a real Redis, run for each topology by a subclass: hits without commands,
 * invalidation by another application's write (with the staleness window measured), own writes, and
 * clearing when the tracking connection is lost.
 */
abstract class NearCacheBehaviourTests {

	record Product(long id, String name) {
	}

	protected abstract RedisDeployment deployment();

	ApplicationContextRunner runner() {
		return runner(deployment()::connectionDetails);
	}

	static ApplicationContextRunner runner(Supplier<DataRedisConnectionDetails> connectionDetails) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("redis-patterns.key-prefix=shop", "redis-patterns.cache.ttl-jitter=0%",
					"redis-patterns.cache.caches.products.near.max-entries=1000",
					"redis-patterns.cache.caches.products.near.ttl=1m", "redis-patterns.cache.caches.plain.ttl=10m");
	}

	@BeforeEach
	void flush() {
		deployment().flushAll();
	}

	@Test
	void hitIsServedFromMemoryWithoutARedisCommand() {
		runner().run((context) -> {
			RedisCacheTemplate caches = trackingOn(context);
			caches.put("products", 1, new Product(1, "kettle"));
			readUntilHeld(caches, 1);
			long before = commands();
			int hits = 50;
			for (int i = 0; i < hits; i++) {
				assertThat(caches.getOrLoad("products", 1, Product.class, () -> null)).isEqualTo(new Product(1, "kettle"));
				assertThat(caches.get("products", 1, Product.class)).isEqualTo(new Product(1, "kettle"));
			}
			long commands = commands() - before;
			System.out.println("[measure] near cache: Redis commands for " + (2 * hits) + " hits: " + commands);
			assertThat(commands).isZero();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("cache.near.gets").tag("cache", "products").tag("result", "hit").counter().count())
				.isEqualTo(2 * hits);
			assertThat(meters.get("cache.gets").tag("cache", "products").tag("result", "hit").counter().count())
				.isGreaterThanOrEqualTo(2 * hits);
		});
	}

	@Test
	void nearMetersExistAtZeroWithTheCacheManagerTag() {
		runner().run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			for (String name : List.of("cache.near.evictions", "cache.near.invalidations")) {
				assertThat(meters.get(name).tag("cache", "products").tag("cache.manager", "redisPatterns").counter().count())
					.isZero();
			}
			for (String result : List.of("hit", "miss")) {
				assertThat(meters.get("cache.near.gets").tag("cache", "products").tag("result", result).counter().count())
					.isZero();
			}
			assertThat(meters.find("cache.near.gets").tag("cache", "plain").counter()).isNull();
		});
	}

	@Test
	void writeOfAnotherApplicationInvalidatesTheCopy() {
		runner().run((reader) -> runner().run((writer) -> {
			RedisCacheTemplate readerCaches = trackingOn(reader);
			RedisCacheTemplate writerCaches = trackingOn(writer);
			NearCache near = near(readerCaches);
			String valueKey = valueKey(readerCaches, 7);
			int rounds = 200;
			List<Long> stalenessMicros = new ArrayList<>(rounds);
			int invalidatedBeforePutReturned = 0;
			for (int round = 0; round < rounds; round++) {
				Product written = new Product(7, "v" + round);
				if (round == 0) {
					writerCaches.put("products", 7, written);
				}
				assertThat(readerCaches.get("products", 7, Product.class)).isEqualTo(written);
				readUntilHeld(readerCaches, 7);
				Product next = new Product(7, "v" + (round + 1));
				writerCaches.put("products", 7, next);
				long returned = System.nanoTime();
				if (!near.holds(valueKey)) {
					invalidatedBeforePutReturned++;
				}
				spinUntil(() -> !near.holds(valueKey));
				stalenessMicros.add((System.nanoTime() - returned) / 1000);
				// the next read sees the new value: from Redis, then from memory
				assertThat(readerCaches.get("products", 7, Product.class)).isEqualTo(next);
			}
			Collections.sort(stalenessMicros);
			System.out.println("[measure] near cache staleness window after the writer's put returned (µs, " + rounds
					+ " rounds): p50 " + stalenessMicros.get(rounds / 2) + ", p99 " + stalenessMicros.get(rounds * 99 / 100)
					+ ", max " + stalenessMicros.get(rounds - 1) + "; invalidated before put returned: "
					+ invalidatedBeforePutReturned + "/" + rounds);
			assertThat(reader.getBean(MeterRegistry.class).get("cache.near.invalidations").tag("cache", "products")
				.counter().count()).isGreaterThanOrEqualTo(rounds);
		}));
	}

	@Test
	void ownWritesAndEvictionsDropTheCopyBeforeTheyReturn() {
		runner().run((context) -> {
			RedisCacheTemplate caches = trackingOn(context);
			NearCache near = near(caches);
			caches.put("products", 1, new Product(1, "kettle"));
			caches.get("products", 1, Product.class);
			caches.put("products", 1, new Product(1, "teapot"));
			assertThat(near.holds(valueKey(caches, 1))).isFalse();
			assertThat(caches.get("products", 1, Product.class)).isEqualTo(new Product(1, "teapot"));
			caches.evict("products", 1);
			assertThat(near.holds(valueKey(caches, 1))).isFalse();
			assertThat(caches.get("products", 1, Product.class)).isNull();
			caches.put("products", 2, new Product(2, "mug"), List.of("kitchen"));
			caches.get("products", 2, Product.class);
			caches.evictTags("products", List.of("kitchen"));
			assertThat(near.holds(valueKey(caches, 2))).isFalse();
			caches.put("products", 3, new Product(3, "pan"));
			caches.get("products", 3, Product.class);
			caches.clear("products");
			assertThat(near.size()).isZero();
			assertThat(caches.get("products", 3, Product.class)).isNull();
		});
	}

	@Test
	void losingTheTrackingConnectionClearsTheCopiesUntilTrackingIsOnAgain() {
		runner().run((reader) -> runner().run((writer) -> {
			RedisCacheTemplate caches = trackingOn(reader);
			RedisCacheTemplate writerCaches = trackingOn(writer);
			NearCache near = near(caches);
			caches.put("products", 1, new Product(1, "kettle"));
			readUntilHeld(caches, 1);
			Map<String, Long> tracking = caches.nearCaches().tracking().clients();
			// one tracking connection (of one master, on Cluster) is enough to lose
			Map.Entry<String, Long> killed = tracking.entrySet().iterator().next();
			RedisNode node = deployment().dataNodes().stream()
				.filter((candidate) -> killed.getKey().endsWith(":" + candidate.port()))
				.findFirst()
				.orElseThrow();
			node.execute((commands) -> commands.clientKill(KillArgs.Builder.id(killed.getValue())));
			await(() -> near.size() == 0);
			// reconnected: tracking is switched on again on the new connection, and keeps the copies coherent
			await(() -> caches.nearCaches().isTrusted());
			assertThat(caches.nearCaches().tracking().clients().get(killed.getKey())).isNotEqualTo(killed.getValue());
			assertThat(caches.get("products", 1, Product.class)).isEqualTo(new Product(1, "kettle"));
			readUntilHeld(caches, 1);
			writerCaches.put("products", 1, new Product(1, "teapot"));
			await(() -> !near.holds(valueKey(caches, 1)));
			assertThat(caches.get("products", 1, Product.class)).isEqualTo(new Product(1, "teapot"));
		}));
	}

	@Test
	void readsDoNotFillOrUseCopiesWhileTrackingIsLost() {
		runner().run((context) -> {
			RedisCacheTemplate caches = trackingOn(context);
			NearCache near = near(caches);
			caches.put("products", 1, new Product(1, "kettle"));
			caches.nearCaches().lost("test");
			assertThat(caches.get("products", 1, Product.class)).isEqualTo(new Product(1, "kettle"));
			assertThat(near.holds(valueKey(caches, 1))).isFalse();
			long before = commands();
			caches.get("products", 1, Product.class);
			assertThat(commands() - before).isEqualTo(1);
		});
	}

	static RedisCacheTemplate trackingOn(ConfigurableApplicationContext context) {
		RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
		await(() -> caches.nearCaches().isTrusted());
		return caches;
	}

	/**
	 * Reads until the copy is kept: the first read after a write may see its fill dropped by that write's
	 * own invalidation, which Redis sends on the tracking connection and may arrive after the read's reply.
	 */
	static void readUntilHeld(RedisCacheTemplate caches, long id) {
		await(() -> {
			caches.get("products", id, Product.class);
			return near(caches).holds(valueKey(caches, id));
		});
	}

	static NearCache near(RedisCacheTemplate caches) {
		NearCache near = caches.nearCaches().of("products");
		assertThat(near).isNotNull();
		return near;
	}

	static String valueKey(RedisCacheTemplate caches, long id) {
		return caches.entryKeys("products", caches.id(id)).value();
	}

	/**
	 * Commands the masters ran, without the Cluster client's topology refreshes and without what the Sentinels
	 * and the replica send on their own ({@code PING} every second, {@code PUBLISH} of the hello message every
	 * two seconds, {@code REPLCONF ACK} every second): those land in any window now and then.
	 */
	long commands() {
		long total = 0;
		for (RedisNode node : deployment().dataNodes()) {
			if (!node.name().contains("replica")) {
				CommandCalls calls = CommandCalls.of(node).without("ping", "publish", "replconf");
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

	static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && !(cause instanceof InvalidRedisPatternsPropertyException)) {
			cause = cause.getCause();
		}
		return cause;
	}

	static void await(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
			Thread.onSpinWait();
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** Spins without sleeping, so that the time the condition became true is measured closely. */
	private static void spinUntil(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

}
