package io.redispatterns.cache.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The near cache on a 3-master Redis Cluster: one tracking connection per master. */
@WithRedis(topology = RedisTopology.CLUSTER)
class ClusterNearCacheTests extends NearCacheBehaviourTests {

	RedisDeployment redis;

	@Override
	protected RedisDeployment deployment() {
		return this.redis;
	}

	@Test
	void everyMasterIsTrackedAndInvalidatesTheCopiesOfItsKeys() {
		ClusterRedis cluster = (ClusterRedis) this.redis;
		runner().run((reader) -> runner().run((writer) -> {
			RedisCacheTemplate caches = trackingOn(reader);
			RedisCacheTemplate writerCaches = trackingOn(writer);
			NearCache near = near(caches);
			NearCacheTracking tracking = caches.nearCaches().tracking();
			assertThat(tracking).isNotNull();
			assertThat(tracking.clients().keySet().stream().map((address) -> address.substring(address.lastIndexOf(':') + 1)))
				.containsExactlyInAnyOrderElementsOf(
						cluster.masters().stream().map((node) -> Integer.toString(node.port())).collect(Collectors.toList()));
			// one entry whose key lives on each master
			Map<Integer, Long> idByMasterPort = new LinkedHashMap<>();
			for (long id = 1; idByMasterPort.size() < cluster.masters().size(); id++) {
				RedisNode owner = cluster.nodeForKey(valueKey(caches, id));
				idByMasterPort.putIfAbsent(owner.port(), id);
			}
			for (long id : idByMasterPort.values()) {
				writerCaches.put("products", id, new Product(id, "kettle"));
				readUntilHeld(caches, id);
				writerCaches.put("products", id, new Product(id, "teapot"));
				await(() -> !near.holds(valueKey(caches, id)));
				assertThat(caches.get("products", id, Product.class)).isEqualTo(new Product(id, "teapot"));
			}
		}));
	}

}
