package io.redispatterns.transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.transaction.autoconfigure.RedisPatternsTransactionAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contexts with optimistic transactions against a real Redis, and the lost-update check.
 */
final class TransactionTestSupport {

	private TransactionTestSupport() {
	}

	static ApplicationContextRunner runner(RedisDeployment deployment) {
		return runner(deployment::connectionDetails);
	}

	static ApplicationContextRunner runner(Supplier<DataRedisConnectionDetails> connectionDetails) {
		return new ApplicationContextRunner().withBean(DataRedisConnectionDetails.class, connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RedisPatternsTransactionAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.timeout=5s", "redis-patterns.transaction.max-attempts=1000",
					"redis-patterns.transaction.backoff.initial=1ms", "redis-patterns.transaction.backoff.max=20ms");
	}

	/**
	 * Runs {@code threads} threads that each add 1 to {@code key} {@code perThread} times with a
	 * non-atomic read-modify-write (GET, then SET of the value plus one) and checks the total.
	 */
	static void incrementConcurrently(RedisTransactions transactions, String key, int threads, int perThread)
			throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						transactions.optimistic(List.of(key), (tx) -> {
							String current = tx.get(key);
							long balance = (current != null) ? Long.parseLong(current) : 0;
							tx.set(key, Long.toString(balance + 1));
							return null;
						});
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		transactions.optimistic(List.of(key), (tx) -> {
			assertThat(tx.get(key)).as("balance after %d read-modify-write increments", threads * perThread)
				.isEqualTo(Long.toString((long) threads * perThread));
			return null;
		});
	}

}
