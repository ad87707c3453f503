package io.redispatterns.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.cluster.SlotHash;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.lock.internal.LockEndpointDetails;
import io.redispatterns.lock.internal.LockKeys;
import io.redispatterns.lock.internal.RedisLockTemplate;
import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Locks on a 3-master Redis Cluster.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
class LockClusterTests {

	ClusterRedis redis;

	@Test
	void lockReleaseMarkerAndWakeUpChannelShareOneSlot() {
		LockKeys keys = new LockKeys(new RedisKeys("app"));
		for (String name : List.of("inventory:sku-1", "order:{42}", "a b*c", "x".repeat(300))) {
			LockKeys.Key key = keys.of(name);
			int slot = slot(key.lock());
			assertThat(slot(key.released())).isEqualTo(slot);
			assertThat(slot(key.channel())).isEqualTo(slot);
		}
	}

	@Test
	void threeContextsWithSixteenThreadsEachIncrementANonAtomicCounterToTheExactTotal() {
		MutualExclusion.verify(this.redis, "cluster");
	}

	@Test
	void waiterIsWokenBySharedPubSubOnTheNodeServingTheLock() {
		LockTestSupport.runner(this.redis).withPropertyValues("redis-patterns.lock.fallback-poll=1h").run((context) -> {
			RedisLockTemplate locks = (RedisLockTemplate) context.getBean(LockTemplate.class);
			List<Long> handOffs = new ArrayList<>();
			for (int round = 0; round < 60; round++) {
				String name = "hand-off-" + (round % 6);
				LockLease held = locks.tryAcquire(name, Duration.ofMinutes(1)).orElseThrow();
				AtomicReference<Thread> waiting = new AtomicReference<>();
				CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
					waiting.set(Thread.currentThread());
					LockLease next = locks.tryAcquire(name, Duration.ofMinutes(1), Duration.ofSeconds(30)).orElseThrow();
					long acquiredAt = System.nanoTime();
					next.release();
					return acquiredAt;
				});
				LockTestSupport.awaitParkedOnWakeUp(waiting);
				long releasedAt = System.nanoTime();
				held.release();
				handOffs.add(waiter.get(20, TimeUnit.SECONDS) - releasedAt);
			}
			System.out.println("[lock hand-off cluster] release -> waiter acquired: "
					+ LockTestSupport.percentiles(handOffs.subList(10, handOffs.size())));
		});
	}

	@Test
	void endpointScansEveryMaster() {
		LockTestSupport.runner(this.redis).run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			List<LockLease> leases = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				leases.add(locks.tryAcquire("scan-" + i, Duration.ofSeconds(30)).orElseThrow());
			}
			Map<String, Object> description = context.getBean(LockEndpointDetails.class).describe();
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> held = (List<Map<String, Object>>) description.get("held");
			assertThat(held).extracting((lock) -> lock.get("name"))
				.containsExactlyInAnyOrder(leases.stream().map(LockLease::name).toArray());
			leases.forEach(LockLease::release);
		});
	}

	private static int slot(String key) {
		return SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8));
	}

}
