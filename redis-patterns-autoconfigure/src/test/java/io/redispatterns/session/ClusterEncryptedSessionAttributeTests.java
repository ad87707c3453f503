package io.redispatterns.session;

import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;

@WithRedis(topology = RedisTopology.CLUSTER)
class ClusterEncryptedSessionAttributeTests extends EncryptedSessionAttributeTests {

	RedisDeployment redis;

	@Override
	protected RedisDeployment deployment() {
		return this.redis;
	}

}
