package io.redispatterns.cache;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loader-lock leases: short, renewed while loading, so a lock whose release never arrived strands
 * the key's callers for about one lease, not the whole lock wait.
 */
@WithRedis(topology = RedisTopology.STANDALONE)
class LoaderLockLeaseTests {

	private static final String ORPHAN_OWNER = "owner-on-the-old-master";

	RedisDeployment redis;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, LockAutoConfiguration.class,
					RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("redis-patterns.key-prefix=shop", "redis-patterns.cache.ttl-jitter=0%");
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
	}

	/**
	 * After a failover where replication lagged, the new master has a loader lock whose release it
	 * never received, with the lease its owner set. With the default settings the next caller must
	 * take the lock over once that lease ends, load and store — not wait out the lock wait and load
	 * without storing.
	 */
	@Test
	void anOrphanedLoaderLockStrandsCallersForOneLeaseNotTheLockWait() {
		runner().run((context) -> {
			RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			CacheSettings settings = caches.settings("products");
			String lockKey = "shop:cache:products:{products%3A7}:loader";
			// as a replica that missed the release has it: the owner's value, with the lease it set
			redis.opsForValue().set(lockKey, ORPHAN_OWNER, settings.lockLease());
			long planted = System.nanoTime();
			List<String> events = new CopyOnWriteArrayList<>();

			String value = caches.getOrLoad("products", 7, String.class, () -> {
				events.add(ORPHAN_OWNER.equals(redis.opsForValue().get(lockKey)) ? "loaded while the orphan held the lock"
						: "loaded under its own lock");
				return "fresh";
			});

			long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - planted);
			System.out.printf("[measure] orphaned loader lock (lease %s, lock wait %s): caller loaded and stored after %d ms%n",
					settings.lockLease(), settings.lockWait(), tookMillis);
			assertThat(value).isEqualTo("fresh");
			assertThat(events).containsExactly("loaded under its own lock");
			assertThat(redis.opsForValue().get("shop:cache:products:{products%3A7}"))
				.as("stored by the fenced write, which only the lock's holder can do")
				.contains("fresh");
			assertThat(settings.lockLease()).as("the default lease is shorter than the lock wait")
				.isLessThan(settings.lockWait());
		});
	}

	@Test
	void aLoadThatOutlivesSeveralLeasesKeepsItsLockByRenewalAndStores() {
		runner().withPropertyValues("redis-patterns.cache.lock-lease=300ms").run((context) -> {
			RedisCacheTemplate caches = context.getBean(RedisCacheTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String lockKey = "shop:cache:products:{products%3A8}:loader";
			AtomicInteger renewalsSeen = new AtomicInteger();
			String value = caches.getOrLoad("products", 8, String.class, () -> {
				// waits until the lock's TTL went back up three times: each time a renewal ran
				long last = Long.MAX_VALUE;
				while (renewalsSeen.get() < 3) {
					Long ttl = redis.getExpire(lockKey, TimeUnit.MILLISECONDS);
					assertThat(ttl).as("the lock is still held").isPositive();
					if (ttl > last) {
						renewalsSeen.incrementAndGet();
					}
					last = ttl;
					java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
				}
				return "slow";
			});
			assertThat(value).isEqualTo("slow");
			assertThat(redis.opsForValue().get("shop:cache:products:{products%3A8}")).contains("slow");
			assertThat(redis.hasKey(lockKey)).as("released after the write").isFalse();
		});
	}

}
