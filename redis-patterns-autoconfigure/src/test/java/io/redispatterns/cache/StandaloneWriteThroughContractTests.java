package io.redispatterns.cache;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;

class StandaloneWriteThroughContractTests extends WriteThroughContractTests {

	@Override
	protected RedisDeployment deployment() {
		return EmbeddedRedis.shared(RedisTopology.STANDALONE);
	}

}
