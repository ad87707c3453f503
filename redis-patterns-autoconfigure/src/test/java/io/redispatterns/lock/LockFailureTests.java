package io.redispatterns.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.redispatterns.lock.internal.LockWakeUps;
import io.redispatterns.lock.internal.RedisLockTemplate;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.SentinelRedis;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Locks when Redis is down, and acquisitions acknowledged by replicas.
 */
class LockFailureTests {

	@Test
	void redisDownFailsClosedWithLockUnavailableWithinTheCommandTimeout() {
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0)) {
			LockTestSupport.runner(redis).withPropertyValues("spring.data.redis.timeout=1s").run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				LockLease held = locks.tryAcquire("down", Duration.ofSeconds(30)).orElseThrow();
				redis.node().kill();
				// Guards against a hang only (10x the 1s command timeout); speed is not asserted.
				long start = System.nanoTime();
				// Lettuce queues a command while it reconnects and times it out later, so the library cannot
				// tell "never sent" from "sent, no reply": either kind is a truthful answer here.
				assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
					assertThatThrownBy(() -> locks.tryAcquire("down", Duration.ofSeconds(30)))
						.isInstanceOfAny(LockUnavailableException.class, LockOutcomeUnknownException.class)
						.hasMessageContaining("lock 'down'");
					assertThatThrownBy(() -> locks.executeWithLock("other", (lease) -> "never"))
						.isInstanceOfAny(LockUnavailableException.class, LockOutcomeUnknownException.class)
						.hasMessageContaining("lock 'other'");
					assertThatThrownBy(held::release)
						.isInstanceOfAny(LockUnavailableException.class, LockOutcomeUnknownException.class)
						.hasMessageContaining("release lock 'down'");
				});
				System.out.printf("[lock redis down] three failing calls took %.2fs with a 1s command timeout%n",
						(System.nanoTime() - start) / 1e9);
			});
		}
	}

	@Test
	void acquisitionNotAcknowledgedByEnoughReplicasIsReleasedAndFails() {
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0)) {
			LockTestSupport.runner(redis)
				.withPropertyValues("redis-patterns.lock.wait-for-replicas=1",
						"redis-patterns.lock.wait-for-replicas-timeout=100ms")
				.run((context) -> {
					LockTemplate locks = context.getBean(LockTemplate.class);
					assertThatExceptionOfType(LockUnavailableException.class)
						.isThrownBy(() -> locks.tryAcquire("unreplicated", Duration.ofSeconds(30)))
						.withMessageContaining("only 0 of 1 replicas acknowledged");
					StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
					String prefix = context.getEnvironment().getProperty("redis-patterns.key-prefix");
					assertThat(template.hasKey(prefix + ":lock:held:{unreplicated}")).isFalse();
				});
		}
	}

	@Test
	void aWaitThatFailsReleasesTheLockAgain() {
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0)) {
			// WAIT fails (NOPERM) after the acquisition script took the lock, as a dropped connection or a
			// client-side timeout would make it throw.
			redis.node()
				.commands((commands) -> commands.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8),
						new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add("default").add("-wait")));
			LockTestSupport.runner(redis).withPropertyValues("redis-patterns.lock.wait-for-replicas=1").run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				String prefix = context.getEnvironment().getProperty("redis-patterns.key-prefix");
				for (int i = 0; i < 2; i++) {
					assertThatExceptionOfType(LockUnavailableException.class)
						.isThrownBy(() -> locks.tryAcquire("wait-fails", Duration.ofSeconds(30)))
						.withMessageContaining("could not acquire lock 'wait-fails'");
					assertThat(template.hasKey(prefix + ":lock:held:{wait-fails}")).as("released again").isFalse();
				}
			});
		}
	}

	@Test
	void oneAcquisitionWaitingForReplicasDoesNotBlockAnotherPastItsWaitAndTheCommandTimeout() throws Exception {
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0)) {
			LockTestSupport.runner(redis)
				.withPropertyValues("redis-patterns.lock.wait-for-replicas=1",
						"redis-patterns.lock.wait-for-replicas-timeout=4s", "spring.data.redis.timeout=500ms")
				.run((context) -> {
					LockTemplate locks = context.getBean(LockTemplate.class);
					CompletableFuture<Optional<LockLease>> slow = CompletableFuture
						.supplyAsync(() -> locks.tryAcquire("slow", Duration.ofSeconds(30)));
					LockTestSupport.awaitTrue("the first acquisition runs WAIT",
							() -> redis.node().execute((commands) -> commands.clientList()).contains("cmd=wait"));
					Optional<LockLease> other = locks.tryAcquire("other", Duration.ofSeconds(30));
					assertThat(slow).as("the first acquisition is still waiting for a replica").isNotDone();
					assertThat(other).as("not acquired: the WAIT connection stayed busy past the command timeout")
						.isEmpty();
					assertThat(slow).failsWithin(Duration.ofSeconds(20))
						.withThrowableOfType(java.util.concurrent.ExecutionException.class)
						.withCauseInstanceOf(LockUnavailableException.class);
				});
		}
	}

	@Test
	void aWaiterNeverOpensTheWakeUpConnectionItselfAndIsSubscribedOnceItOpens() {
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0)) {
			LockTestSupport.runner(redis).run((context) -> {
				LockWakeUps wakeUps = ((RedisLockTemplate) context.getBean(LockTemplate.class)).wakeUps();
				// While the server is paused, a new connection cannot complete its handshake.
				redis.node().pause(Duration.ofSeconds(6));
				CompletableFuture<LockWakeUps.Waiter> registered = CompletableFuture
					.supplyAsync(() -> wakeUps.register("paused-channel"));
				// Guards against blocking until the pause ends (6s) only; speed is not asserted.
				assertThat(registered).as("registering does not wait for the connection")
					.succeedsWithin(Duration.ofSeconds(3));
				try (LockWakeUps.Waiter waiter = registered.join()) {
					assertThat(waiter.awaitSubscribed(Duration.ofMillis(1))).as("polls meanwhile").isFalse();
					LockTestSupport.awaitTrue("the channel is subscribed once the connection opened", () -> {
						try {
							return waiter.awaitSubscribed(Duration.ofMillis(100));
						}
						catch (InterruptedException ex) {
							throw new IllegalStateException(ex);
						}
					});
					redis.node().commands((commands) -> commands.spublish("paused-channel", "released"));
					assertThat(waiter.await(TimeUnit.SECONDS.toNanos(10))).as("woken by the message").isTrue();
				}
			});
		}
	}

	@Test
	void acquisitionWaitsForTheReplicaOnSentinel() {
		SentinelRedis redis = (SentinelRedis) EmbeddedRedis.shared(RedisTopology.SENTINEL);
		LockTestSupport.runner(redis).withPropertyValues("redis-patterns.lock.wait-for-replicas=1").run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			String prefix = context.getEnvironment().getProperty("redis-patterns.key-prefix");
			for (int i = 0; i < 20; i++) {
				LockLease lease = locks.tryAcquire("replicated-" + i, Duration.ofSeconds(30)).orElseThrow();
				String key = prefix + ":lock:held:{replicated-" + i + "}";
				String onReplica = redis.replica().execute((commands) -> commands.get(key));
				assertThat(onReplica).isEqualTo(lease.ownerToken());
				lease.release();
			}
		});
	}

}
