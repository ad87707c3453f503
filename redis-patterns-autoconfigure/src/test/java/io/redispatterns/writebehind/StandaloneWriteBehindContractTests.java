package io.redispatterns.writebehind;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;

class StandaloneWriteBehindContractTests extends WriteBehindContractTests {

	@Override
	protected RedisDeployment deployment() {
		return EmbeddedRedis.shared(RedisTopology.STANDALONE);
	}

}
