package io.redispatterns.stream;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;

class StandaloneStreamContractTests extends StreamContractTests {

	@Override
	protected RedisDeployment deployment() {
		return EmbeddedRedis.shared(RedisTopology.STANDALONE);
	}

}
