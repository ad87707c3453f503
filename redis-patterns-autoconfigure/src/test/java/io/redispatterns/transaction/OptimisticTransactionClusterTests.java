package io.redispatterns.transaction;

import java.util.List;
import java.util.UUID;

import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Optimistic transactions on a 3-master Redis Cluster: keys of one hash tag run on their master;
 * keys of different slots are refused before anything is sent.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
class OptimisticTransactionClusterTests {

	ClusterRedis redis;

	@Test
	void concurrentIncrementsOfOneSlotNeverLoseAnUpdateAndOtherSlotsAreRefused() {
		TransactionTestSupport.runner(this.redis).run((context) -> {
			RedisTransactions transactions = context.getBean(RedisTransactions.class);
			String tag = "{account-" + UUID.randomUUID() + "}";
			TransactionTestSupport.incrementConcurrently(transactions, "tx:" + tag + ":balance", 8, 10);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> transactions.optimistic(List.of("tx:{a}:balance", "tx:{b}:balance"), (tx) -> null))
				.withMessageContaining("different Cluster slots");
			assertThatIllegalArgumentException().isThrownBy(() -> transactions.optimistic(List.of("tx:{a}:balance"),
					(tx) -> {
						tx.set("tx:{b}:balance", "1");
						return null;
					}))
				.withMessageContaining("different Cluster slots");
		});
	}

}
