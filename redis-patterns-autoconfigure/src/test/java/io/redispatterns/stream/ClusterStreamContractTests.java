package io.redispatterns.stream;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;

class ClusterStreamContractTests extends StreamContractTests {

	@Override
	protected RedisDeployment deployment() {
		return EmbeddedRedis.shared(RedisTopology.CLUSTER);
	}

}
