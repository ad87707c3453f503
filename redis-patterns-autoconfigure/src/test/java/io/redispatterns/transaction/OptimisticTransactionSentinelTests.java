package io.redispatterns.transaction;

import java.util.UUID;

import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.SentinelRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

/**
 * Optimistic transactions through Sentinel: the transactions' own client, built from the application's
 * Sentinel configuration, finds the master.
 */
@WithRedis(topology = RedisTopology.SENTINEL)
class OptimisticTransactionSentinelTests {

	SentinelRedis redis;

	@Test
	void concurrentIncrementsThroughSentinelNeverLoseAnUpdate() {
		TransactionTestSupport.runner(this.redis).run((context) -> TransactionTestSupport
			.incrementConcurrently(context.getBean(RedisTransactions.class), "tx:sentinel:" + UUID.randomUUID(), 4, 10));
	}

}
