package io.redispatterns.cache.internal;

import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;

/** The near cache behind Sentinel: the tracking connection follows the master the sentinels name. */
@WithRedis(topology = RedisTopology.SENTINEL)
class SentinelNearCacheTests extends NearCacheBehaviourTests {

	RedisDeployment redis;

	@Override
	protected RedisDeployment deployment() {
		return this.redis;
	}

}
