package io.redispatterns.cache;

import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;

/**
 * The stampede tests on a 3-master Redis Cluster (entry, loader lock and fenced write in one slot).
 */
@WithRedis(topology = RedisTopology.CLUSTER)
class ClusterStampedeTests extends StampedeTests {

}
