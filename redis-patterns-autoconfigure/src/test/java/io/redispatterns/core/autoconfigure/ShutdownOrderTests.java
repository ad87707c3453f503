package io.redispatterns.core.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.actuate.autoconfigure.RedisPatternsHealthAutoConfiguration;
import io.redispatterns.actuate.autoconfigure.RedisServerHealthAutoConfiguration;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.keyspace.KeyspaceAnalyzer;
import io.redispatterns.keyspace.autoconfigure.KeyspaceAutoConfiguration;
import io.redispatterns.leaderboard.autoconfigure.LeaderboardAutoConfiguration;
import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.pubsub.PubSubPublisher;
import io.redispatterns.pubsub.autoconfigure.PubSubAutoConfiguration;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.RedisJobHandler;
import io.redispatterns.queue.autoconfigure.JobQueueAutoConfiguration;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.autoconfigure.RateLimitAutoConfiguration;
import io.redispatterns.stream.RedisStreamListener;
import io.redispatterns.stream.StreamPublisher;
import io.redispatterns.stream.autoconfigure.StreamAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import io.redispatterns.transaction.RedisTransactions;
import io.redispatterns.transaction.autoconfigure.RedisPatternsTransactionAutoConfiguration;
import io.redispatterns.writebehind.WriteBehindBatch;
import io.redispatterns.writebehind.WriteBehindFlush;
import io.redispatterns.writebehind.WriteBehinds;
import io.redispatterns.writebehind.autoconfigure.WriteBehindAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.annotation.RedisListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing an application that used every pattern (so that every dedicated connection, subscription and worker
 * exists) stops the library's components before the Redis connection factory (phase 0) shuts its client down:
 * nothing of the library closes, or uses, a connection the stopped factory had already closed, so the close
 * logs no warning or error.
 */
@WithRedis
@ExtendWith(OutputCaptureExtension.class)
class ShutdownOrderTests {

	RedisDeployment redis;

	@Test
	void closingAContextThatUsedEveryPatternLogsNoWarningOrError(CapturedOutput output) throws Exception {
		this.redis.flushAll();
		Listeners listeners = new Listeners();
		runner().withBean(Listeners.class, () -> listeners).run((context) -> {
			useEveryPattern(context.getBean(CacheTemplate.class), context.getBean(LockTemplate.class),
					context.getBean(RedisTransactions.class));
			context.getBean(RateLimiter.class).tryAcquire("api", "client-1");
			context.getBean(KeyspaceAnalyzer.class).analyzeLibraryKeys();
			context.getBean(StreamPublisher.class).publish("orders", "order-1");
			context.getBean(JobQueues.class).enqueue("mails", "mail-1");
			context.getBean(WriteBehinds.class).buffer("views", Long.class).increment("product-1", 1);
			PubSubPublisher pubSub = context.getBean(PubSubPublisher.class);
			// subscribing is asynchronous: publish until the listener got one
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				pubSub.publish("alerts", "alert-1");
				return listeners.alert.await(50, TimeUnit.MILLISECONDS);
			});
			assertThat(listeners.order.await(30, TimeUnit.SECONDS)).as("order handled").isTrue();
			assertThat(listeners.mail.await(30, TimeUnit.SECONDS)).as("mail sent").isTrue();
			System.out.println("[shutdown-order] closing the context");
		});
		String afterClose = output.getOut().substring(output.getOut().indexOf("[shutdown-order] closing the context"));
		List<String> complaints = afterClose.lines()
			.filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")
					|| line.contains("Connection is already closed") || line.contains("RejectedExecutionException"))
			.toList();
		assertThat(complaints).as("lines logged while the context closed:%n%s",
				complaints.stream().collect(Collectors.joining(System.lineSeparator())))
			.isEmpty();
	}

	private static void useEveryPattern(CacheTemplate caches, LockTemplate locks, RedisTransactions transactions)
			throws Exception {
		// the near cache's tracking connection
		caches.put("products", 1, "kettle");
		assertThat(caches.get("products", 1, String.class)).isEqualTo("kettle");
		// the cache's loader wake-up subscription: a second caller waits for the first one's load
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> loadOnce(caches, () -> {
			loading.countDown();
			release.await(30, TimeUnit.SECONDS);
			return "toaster";
		}));
		assertThat(loading.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> loadOnce(caches, () -> "other"));
		release.countDown();
		assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("toaster");
		assertThat(second.get(30, TimeUnit.SECONDS)).isNotNull();
		// the lock's wake-up connection: a waiter for a held lock
		Optional<LockLease> held = locks.tryAcquire("inventory", Duration.ofSeconds(30));
		assertThat(held).isPresent();
		assertThat(locks.tryAcquire("inventory", Duration.ofSeconds(30), Duration.ofMillis(300))).isEmpty();
		held.get().close();
		// the transactions' dedicated connection
		transactions.optimistic(List.of("shop:tx:{wallet}"), (tx) -> {
			tx.incrBy("shop:tx:{wallet}", 1);
			return null;
		});
	}

	private static String loadOnce(CacheTemplate caches, java.util.concurrent.Callable<String> loader) {
		return caches.getOrLoad("products", 2, String.class, loader);
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withConfiguration(AutoConfigurations.of(RedisClientDefaultsAutoConfiguration.class,
					DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RateLimitAutoConfiguration.class,
					LockAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class, PubSubAutoConfiguration.class,
					StreamAutoConfiguration.class, JobQueueAutoConfiguration.class, WriteBehindAutoConfiguration.class,
					RedisPatternsTransactionAutoConfiguration.class, LeaderboardAutoConfiguration.class,
					KeyspaceAutoConfiguration.class, RedisPatternsHealthAutoConfiguration.class,
					RedisServerHealthAutoConfiguration.class))
			.withPropertyValues("redis-patterns.key-prefix=shop", "redis-patterns.rate-limit.policies.api.limit=100",
					"redis-patterns.rate-limit.policies.api.window=1m",
					"redis-patterns.cache.caches.products.near.max-entries=100",
					"redis-patterns.cache.caches.products.near.ttl=1m");
	}

	static class Listeners {

		final CountDownLatch order = new CountDownLatch(1);

		final CountDownLatch mail = new CountDownLatch(1);

		final CountDownLatch alert = new CountDownLatch(1);

		@RedisStreamListener(stream = "orders", group = "billing")
		void onOrder(String order) {
			this.order.countDown();
		}

		@RedisJobHandler(queue = "mails")
		void send(String mail) {
			this.mail.countDown();
		}

		@WriteBehindFlush(buffer = "views", every = "100ms")
		void flush(WriteBehindBatch<Long> batch) {
		}

		@RedisListener(topic = "${redis-patterns.pubsub.channel-prefix}alerts")
		void onAlert(String alert) {
			this.alert.countDown();
		}

	}

}
