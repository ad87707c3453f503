package io.redispatterns.cache;

import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;

@WithRedis(topology = RedisTopology.STANDALONE)
class StandaloneEncryptedCacheTests extends EncryptedCacheTests {

	RedisDeployment redis;

	@Override
	protected RedisDeployment deployment() {
		return this.redis;
	}

}
