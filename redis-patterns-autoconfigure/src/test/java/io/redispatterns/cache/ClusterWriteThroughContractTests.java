package io.redispatterns.cache;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;

class ClusterWriteThroughContractTests extends WriteThroughContractTests {

	@Override
	protected RedisDeployment deployment() {
		return EmbeddedRedis.shared(RedisTopology.CLUSTER);
	}

}
