package io.redispatterns.cache.internal;

import java.util.Map;

import io.redispatterns.cache.internal.NearCacheBehaviourTests.Product;
import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.redispatterns.cache.internal.NearCacheBehaviourTests.await;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.near;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.readUntilHeld;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.runner;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.trackingOn;
import static io.redispatterns.cache.internal.NearCacheBehaviourTests.valueKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache when one master of a Redis Cluster fails and comes back (its own cluster, so the shared one
 * keeps all its masters): every copy is dropped when that master's tracking connection is lost, and tracking
 * is on again at every master, the restarted one included, once it is back. 14–20 s here (most of it forming the
 * cluster), so it runs with the fault scenarios ({@code mvn verify -Pfaults}).
 */
@Tag("faults")
class ClusterNearCacheRestartTests {

	@Test
	void aMasterThatFailsDropsTheCopiesAndIsTrackedAgainOnceBack() {
		try (ClusterRedis cluster = EmbeddedRedis.cluster()) {
			runner(cluster::connectionDetails).run((reader) -> runner(cluster::connectionDetails).run((writer) -> {
				RedisCacheTemplate caches = trackingOn(reader);
				RedisCacheTemplate writerCaches = trackingOn(writer);
				NearCache near = near(caches);
				RedisNode failing = cluster.masters().get(1);
				long onFailing = idOn(cluster, caches, failing, true);
				long elsewhere = idOn(cluster, caches, failing, false);
				for (long id : new long[] { onFailing, elsewhere }) {
					writerCaches.put("products", id, new Product(id, "kettle"));
					readUntilHeld(caches, id);
				}

				failing.kill();
				// every copy, also of keys on the masters that stay up: the tracking of one master cannot be trusted
				await(() -> near.size() == 0);
				failing.restart();
				await(() -> caches.nearCaches().isTrusted() && trackedOn(caches, failing));

				// the restarted master reports changes of its keys again (a put that fails while the cluster is still
				// down is only logged: written again until Redis has it)
				long restarted = System.nanoTime();
				Product teapot = new Product(onFailing, "teapot");
				await(() -> {
					writerCaches.put("products", onFailing, teapot);
					return teapot.equals(writerCaches.get("products", onFailing, Product.class));
				});
				System.out.println("[measure] near cache: the restarted master took writes again "
						+ (System.nanoTime() - restarted) / 1_000_000 + " ms after tracking was on at it");
				readUntilHeld(caches, onFailing);
				assertThat(caches.get("products", onFailing, Product.class)).isEqualTo(new Product(onFailing, "teapot"));
				writerCaches.put("products", onFailing, new Product(onFailing, "pan"));
				await(() -> !near.holds(valueKey(caches, onFailing)));
				assertThat(caches.get("products", onFailing, Product.class)).isEqualTo(new Product(onFailing, "pan"));
			}));
		}
	}

	/** An id whose value key lives on {@code node} (or, with {@code on} false, on another master). */
	private static long idOn(ClusterRedis cluster, RedisCacheTemplate caches, RedisNode node, boolean on) {
		for (long id = 1;; id++) {
			if ((cluster.nodeForKey(valueKey(caches, id)).port() == node.port()) == on) {
				return id;
			}
		}
	}

	/** Whether one of the tracking connections is connected to {@code node} (false while they reconnect). */
	private static boolean trackedOn(RedisCacheTemplate caches, RedisNode node) {
		NearCacheTracking tracking = caches.nearCaches().tracking();
		assertThat(tracking).isNotNull();
		try {
			Map<String, Long> clients = tracking.clients();
			return clients.size() == 3 && clients.keySet().stream().anyMatch((address) -> address.endsWith(":" + node.port()));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
