package io.redispatterns.cache.internal;

import java.util.Map;

import io.redispatterns.cache.internal.NearCacheBehaviourTests.Product;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.SentinelRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.redispatterns.cache.internal.NearCacheBehaviourTests.await;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.near;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.readUntilHeld;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.runner;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.trackingOn;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.valueKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache through a Sentinel failover (its own master, replica and three Sentinels, so the shared
 * deployment keeps its master; the master is killed and the Sentinels promote the replica): the copies are dropped when the tracking connection to the old master is
 * lost, tracking follows the master the Sentinels name, and no copy of the old master's data is served.
 */
class SentinelNearCacheFailoverTests {

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void failoverDropsTheCopiesAndTrackingFollowsTheNewMaster(CapturedOutput output) {
		try (SentinelRedis sentinel = EmbeddedRedis.sentinel()) {
			runner(sentinel::connectionDetails).run((reader) -> runner(sentinel::connectionDetails).run((writer) -> {
				RedisCacheTemplate caches = trackingOn(reader);
				RedisCacheTemplate writerCaches = trackingOn(writer);
				NearCache near = near(caches);
				RedisNode oldMaster = sentinel.master();
				assertThat(trackedOnlyOn(caches, oldMaster)).isTrue();
				writerCaches.put("products", 1, new Product(1, "kettle"));
				readUntilHeld(caches, 1);

				// a value only the replica holds, written there directly: the old master never reports this change,
				// so after the failover only dropping the copies keeps "kettle" from being served
				writerCaches.put("products", 2, new Product(1, "teapot"));
				oldMaster.commands((commands) -> commands.waitForReplication(1, 5000));
				RedisNode replica = sentinel.replica();
				replica.commands((commands) -> {
					commands.configSet("replica-read-only", "no");
					String teapot = commands.get(valueKey(caches, 2));
					commands.psetex(valueKey(caches, 1), commands.pttl(valueKey(caches, 2)), teapot);
				});
				assertThat(caches.get("products", 1, Product.class)).isEqualTo(new Product(1, "kettle"));
				assertThat(near.holds(valueKey(caches, 1))).isTrue();

				long failoverStarted = System.nanoTime();
				oldMaster.kill();
				RedisNode newMaster = sentinel.awaitMasterOtherThan(oldMaster);
				long promoted = System.nanoTime();
				await(() -> caches.nearCaches().isTrusted() && trackedOnlyOn(caches, newMaster));
				long restored = System.nanoTime();
				System.out.println("[measure] near cache: tracking on the new master " + (restored - promoted) / 1_000_000
						+ " ms after the Sentinels agreed on it, " + (restored - failoverStarted) / 1_000_000
						+ " ms after the old master was killed");

				// (1) the loss of the old master's tracking connection dropped the copy
				assertThat(output).contains("Near caches cleared and bypassed until Redis client tracking is on again");
				assertThat(near.holds(valueKey(caches, 1))).isFalse();
				// (3) the first read after the failover is the new master's value, never the old copy
				assertThat(caches.get("products", 1, Product.class)).isEqualTo(new Product(1, "teapot"));
				readUntilHeld(caches, 1);

				// (2) tracking is on at the new master: the writer's change there invalidates the reader's copy
				await(() -> {
					try {
						writerCaches.put("products", 1, new Product(1, "pan"));
						return true;
					}
					catch (RuntimeException ex) {
						// the writer's own connection may still be following the failover
						return false;
					}
				});
				await(() -> !near.holds(valueKey(caches, 1)));
				assertThat(caches.get("products", 1, Product.class)).isEqualTo(new Product(1, "pan"));
				// and a change made on the new master by any client, not only by this library
				readUntilHeld(caches, 1);
				newMaster.commands((commands) -> commands.del(valueKey(caches, 1)));
				await(() -> !near.holds(valueKey(caches, 1)));
				assertThat(caches.get("products", 1, Product.class)).isNull();
			}));
		}
	}

	/** Whether every tracking connection is connected to {@code node} (false while it reconnects). */
	private static boolean trackedOnlyOn(RedisCacheTemplate caches, RedisNode node) {
		NearCacheTracking tracking = caches.nearCaches().tracking();
		assertThat(tracking).isNotNull();
		try {
			Map<String, Long> clients = tracking.clients();
			return !clients.isEmpty() && clients.keySet().stream().allMatch((address) -> address.endsWith(":" + node.port()));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
