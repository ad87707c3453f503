package io.redispatterns.cache;

import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;

/**
 * The bulk operations on a 3-master Redis Cluster: keys of many slots on every master.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
class ClusterBulkCacheTests extends BulkCacheTests {

}
