package io.redispatterns.transaction;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import io.redispatterns.transaction.internal.TransactionEndpointDetails;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Optimistic transactions on a standalone Redis.
 */
@WithRedis
class OptimisticTransactionTests {

	StandaloneRedis redis;

	@Test
	void eightThreadsIncrementingOneBalanceWithReadModifyWriteNeverLoseAnUpdate() {
		TransactionTestSupport.runner(this.redis).run((context) -> {
			RedisTransactions transactions = context.getBean(RedisTransactions.class);
			TransactionTestSupport.incrementConcurrently(transactions, "tx:balance:" + UUID.randomUUID(), 8, 25);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			System.out.println("[measure] transaction conflicts for 200 increments by 8 threads: "
					+ registry.get("redis.patterns.transaction.conflicts").counter().count());
			assertThat(registry.get("redis.patterns.transaction").tag("result", "committed").timer().count())
				.isEqualTo(200);
		});
	}

	@Test
	void aWriteByAnotherClientBetweenWatchAndExecMakesTheAttemptRunAgain() {
		TransactionTestSupport.runner(this.redis).run((context) -> {
			RedisTransactions transactions = context.getBean(RedisTransactions.class);
			StringRedisTemplate other = context.getBean(StringRedisTemplate.class);
			String key = "tx:account:" + UUID.randomUUID();
			other.opsForValue().set(key, "100");
			AtomicInteger attempts = new AtomicInteger();
			long result = transactions.optimistic(List.of(key), (tx) -> {
				attempts.incrementAndGet();
				long balance = Long.parseLong(tx.get(key));
				if (tx.attempt() == 1) {
					other.opsForValue().increment(key, 5);
				}
				tx.set(key, Long.toString(balance - 30));
				return balance - 30;
			});
			assertThat(attempts).hasValue(2);
			assertThat(result).isEqualTo(75);
			assertThat(other.opsForValue().get(key)).isEqualTo("75");
		});
	}

	@Test
	void givesUpWithOptimisticLockingFailureExceptionAfterTheLastAttempt() {
		TransactionTestSupport.runner(this.redis).withPropertyValues("redis-patterns.transaction.max-attempts=3")
			.run((context) -> {
				RedisTransactions transactions = context.getBean(RedisTransactions.class);
				StringRedisTemplate other = context.getBean(StringRedisTemplate.class);
				String key = "tx:hot:" + UUID.randomUUID();
				AtomicInteger attempts = new AtomicInteger();
				assertThatExceptionOfType(OptimisticLockingFailureException.class)
					.isThrownBy(() -> transactions.optimistic(List.of(key), (tx) -> {
						attempts.incrementAndGet();
						tx.get(key);
						other.opsForValue().increment(key);
						tx.set(key, "lost");
						return null;
					}))
					.withMessageContaining("3 attempts");
				assertThat(attempts).hasValue(3);
				assertThat(other.opsForValue().get(key)).isEqualTo("3");
				assertThat(context.getBean(TransactionEndpointDetails.class).describe()).containsEntry("exhausted", 1L);
			});
	}

	@Test
	void aFailingCallbackWritesNothingAndTheConnectionIsReusedClean() {
		TransactionTestSupport.runner(this.redis).withPropertyValues("redis-patterns.transaction.connections=1")
			.run((context) -> {
				RedisTransactions transactions = context.getBean(RedisTransactions.class);
				StringRedisTemplate other = context.getBean(StringRedisTemplate.class);
				String key = "tx:fail:" + UUID.randomUUID();
				assertThatIllegalStateException().isThrownBy(() -> transactions.optimistic(List.of(key), (tx) -> {
					tx.set(key, "never");
					throw new IllegalStateException("insufficient funds");
				}));
				assertThat(other.hasKey(key)).isFalse();
				// the one connection was unwatched: a change to the key no longer aborts its next transaction
				other.opsForValue().set(key, "1");
				String read = transactions.optimistic(List.of(key + ":other"), (tx) -> {
					tx.set(key + ":other", "2");
					return tx.get(key);
				});
				assertThat(read).isEqualTo("1");
			});
	}

	@Test
	void invalidSettingsStopStartUpNamingTheProperty() {
		TransactionTestSupport.runner(this.redis).withPropertyValues("redis-patterns.transaction.max-attempts=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.transaction.max-attempts"));
	}


	@Test
	void backsOffWhenTheApplicationDefinesRedisTransactionsAndCanBeTurnedOff() {
		RedisTransactions custom = new RedisTransactions() {
			@Override
			public <T> T optimistic(java.util.Collection<String> keys, TransactionCallback<T> callback) {
				throw new UnsupportedOperationException();
			}
		};
		TransactionTestSupport.runner(this.redis)
			.withBean("custom", RedisTransactions.class, () -> custom)
			.run((context) -> assertThat(context).getBeans(RedisTransactions.class).containsOnlyKeys("custom"));
		TransactionTestSupport.runner(this.redis)
			.withPropertyValues("redis-patterns.transaction.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisTransactions.class));
	}

	@Test
	void aStaticMasterReplicaSetupRefusesTransactionsNamingTheSetup() {
		DataRedisConnectionDetails.Node node = new DataRedisConnectionDetails.Node(this.redis.node().host(),
				this.redis.node().port());
		DataRedisConnectionDetails masterReplica = new DataRedisConnectionDetails() {
			@Override
			public MasterReplica getMasterReplica() {
				return () -> List.of(node);
			}
		};
		TransactionTestSupport.runner(() -> masterReplica).run((context) -> {
			RedisTransactions transactions = context.getBean(RedisTransactions.class);
			assertThatIllegalStateException().isThrownBy(() -> transactions.optimistic(List.of("tx:any"), (tx) -> null))
				.withMessageContaining("spring.data.redis.masterreplica.nodes");
		});
	}

	@Test
	void aTransactionStartedAfterShutdownBeganOpensNoClientThatNobodyWouldClose() {
		TransactionTestSupport.runner(this.redis).run((context) -> {
			RedisTransactions transactions = context.getBean(RedisTransactions.class);
			// the transactions bean is destroyed before the connection factory; a thread may still call it
			((org.springframework.beans.factory.DisposableBean) transactions).destroy();

			assertThatExceptionOfType(io.redispatterns.core.RedisUnavailableException.class)
				.isThrownBy(() -> transactions.optimistic(List.of("tx:after-destroy"), (tx) -> tx.get("tx:after-destroy")))
				.withMessageContaining("closed");
		});
	}

}
