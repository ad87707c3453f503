package io.redispatterns.lock;

import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

/**
 * The cost of an uncontended acquire + release on Redis Cluster, counted on the master serving the
 * lock's slot: the same 2 round trips and 6 commands as on a standalone server.
 */
@WithRedis(topology = RedisTopology.CLUSTER, shared = false)
class LockClusterCommandCountTests {

	ClusterRedis redis;

	@Test
	void uncontendedAcquireAndReleaseIsTwoRoundTripsAndSixCommandsOnCluster() {
		LockCommandCountTests.assertUncontendedCost(this.redis, this.redis::nodeForKey);
	}

}
