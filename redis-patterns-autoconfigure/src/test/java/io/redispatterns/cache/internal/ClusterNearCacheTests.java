package io.redispatterns.cache.internal;

import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;

/** The near cache on a 3-master Redis Cluster: one tracking connection per master. */
@WithRedis(topology = RedisTopology.CLUSTER)
class ClusterNearCacheTests extends NearCacheBehaviourTests {

	RedisDeployment redis;

	@Override
	protected RedisDeployment deployment() {
		return this.redis;
	}

}
