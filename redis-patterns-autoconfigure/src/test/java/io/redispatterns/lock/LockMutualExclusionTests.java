package io.redispatterns.lock;

import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

/**
 * Mutual exclusion on a standalone Redis.
 */
@WithRedis
class LockMutualExclusionTests {

	RedisDeployment redis;

	@Test
	void threeContextsWithSixteenThreadsEachIncrementANonAtomicCounterToTheExactTotal() {
		MutualExclusion.verify(this.redis, "standalone");
	}

}
