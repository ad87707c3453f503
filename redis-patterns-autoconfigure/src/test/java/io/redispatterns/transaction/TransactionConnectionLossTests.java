package io.redispatterns.transaction;

import java.util.List;
import java.util.UUID;

import io.redispatterns.core.RedisOutcomeUnknownException;
import io.redispatterns.core.RedisUnavailableException;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A transaction's connection closed under it (the reply of one of its commands lost, then an
 * orderly close, after which an auto-reconnecting Lettuce connection would re-send the unanswered
 * commands on a new connection — outside the {@code MULTI} and without the {@code WATCH} that the
 * server dropped with the old one). The transaction must neither apply a write on its own nor
 * commit without its watch, and the caller must be told the truth.
 */
@WithRedis
class TransactionConnectionLossTests {

	StandaloneRedis redis;

	@Test
	void aQueuedWriteWhoseReplyIsLostIsNeverAppliedOutsideItsTransaction() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			TransactionTestSupport.runner(proxy::connectionDetails).run((context) -> {
				RedisTransactions transactions = context.getBean(RedisTransactions.class);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				String watched = "tx:watched:" + UUID.randomUUID();
				String marker = "tx-lost-write-" + UUID.randomUUID();
				String counter = "tx:counter:" + marker;
				// a first transaction opens the dedicated connection, so the fault hits the transaction itself
				transactions.optimistic(List.of(watched), (tx) -> tx.get(watched));
				proxy.dropReplyOnce(marker, RedisProxy.Close.FIN);

				Throwable failure = catchThrowable(() -> transactions.optimistic(List.of(watched), (tx) -> {
					tx.incrBy(counter, 1);
					return null;
				}));

				assertThat(proxy.dropFired()).isTrue();
				assertThat(proxy.forwardedCount(marker)).as("the write went to Redis once, never re-sent outside its MULTI")
					.isEqualTo(1);
				assertThat(failure).as("the caller learns that the connection was lost")
					.isInstanceOfAny(RedisOutcomeUnknownException.class, RedisUnavailableException.class);
				String applied = template.opsForValue().get(counter);
				if (failure instanceof RedisUnavailableException) {
					assertThat(applied).as("told nothing was applied").isNull();
				}
				else {
					assertThat(applied).as("applied at most once, and only as a whole transaction").isIn(null, "1");
				}
			});
		}
	}

	@Test
	void aReadWhoseReplyIsLostNeverLetsTheTransactionCommitWithoutItsWatch() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			TransactionTestSupport.runner(proxy::connectionDetails).run((context) -> {
				RedisTransactions transactions = context.getBean(RedisTransactions.class);
				StringRedisTemplate other = context.getBean(StringRedisTemplate.class);
				String marker = "tx-lost-read-" + UUID.randomUUID();
				String account = "tx:account:" + marker;
				other.opsForValue().set(account, "100");

				Throwable failure = catchThrowable(() -> transactions.optimistic(List.of(account), (tx) -> {
					if (tx.attempt() == 1) {
						// armed after the WATCH: the lost reply is the read's
						proxy.dropReplyOnce(marker, RedisProxy.Close.FIN);
					}
					String balance = tx.get(account);
					if (tx.attempt() == 1) {
						// another client changes the account between the read and the EXEC
						other.opsForValue().increment(account, 5);
					}
					tx.set(account, Long.toString(Long.parseLong(balance) - 30));
					return null;
				}));

				assertThat(proxy.dropFired()).isTrue();
				String balance = other.opsForValue().get(account);
				assertThat(balance).as("never the stale write that loses the other client's +5").isNotEqualTo("70");
				if (failure != null) {
					assertThat(failure).as("a read failed before any write was sent: nothing was applied")
						.isInstanceOf(RedisUnavailableException.class);
					assertThat(balance).isIn("100", "105");
				}
				else {
					assertThat(balance).as("committed on a later attempt, over the other client's +5").isEqualTo("75");
				}
			});
		}
	}

	@Test
	void theNextTransactionWorksRightAfterEveryConnectionToRedisWasReset() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			TransactionTestSupport.runner(proxy::connectionDetails).run((context) -> {
				RedisTransactions transactions = context.getBean(RedisTransactions.class);
				String key = "tx:after-reset:" + UUID.randomUUID();
				transactions.optimistic(List.of(key), (tx) -> {
					tx.set(key, "1");
					return null;
				});
				// what a Redis restart does to the pooled (idle) connection; Redis answers again at once
				proxy.resetAll();

				String value = transactions.optimistic(List.of(key), (tx) -> {
					tx.set(key, "2");
					return tx.get(key);
				});

				assertThat(value).isEqualTo("1");
				assertThat(context.getBean(StringRedisTemplate.class).opsForValue().get(key)).isEqualTo("2");
			});
		}
	}

}
