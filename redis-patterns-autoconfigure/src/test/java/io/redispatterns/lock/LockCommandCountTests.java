package io.redispatterns.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.redispatterns.lock.internal.RedisLockTemplate;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands an uncontended acquire + release costs, counted by the server ({@code INFO
 * commandstats}, deterministic): 2 round trips ({@code EVALSHA}) and 6 commands in total, with no
 * {@code SPUBLISH} when nobody waits; a waiter makes the release publish. Servers of their own, so
 * that no other test's commands are counted.
 */
@WithRedis(shared = false)
class LockCommandCountTests {

	private static final int PAIRS = 100;

	@Test
	void uncontendedAcquireAndReleaseIsTwoRoundTripsAndSixCommandsOnStandalone(StandaloneRedis redis) {
		assertUncontendedCost(redis, (name) -> redis.node());
	}

	static void assertUncontendedCost(RedisDeployment deployment, java.util.function.Function<String, RedisNode> nodeOf) {
		LockTestSupport.runner(deployment, "count").run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			String name = "counted";
			// loads the scripts on the node serving the lock (a first EVALSHA may be answered NOSCRIPT)
			locks.tryAcquire(name, Duration.ofSeconds(5)).orElseThrow().release();
			RedisNode node = nodeOf.apply("count:lock:held:{" + name + "}");
			CommandCalls before = CommandCalls.of(node);
			for (int i = 0; i < PAIRS; i++) {
				LockLease lease = locks.tryAcquire(name, Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow();
				assertThat(lease.release()).isTrue();
			}
			Map<String, Long> calls = work(CommandCalls.of(node).since(before));
			assertThat(calls).containsExactlyInAnyOrderEntriesOf(Map.of("evalsha", 2L * PAIRS, "time", (long) PAIRS,
					"set", (long) PAIRS, "get", (long) PAIRS, "rename", (long) PAIRS));
			assertThat(calls.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(6L * PAIRS);
		});
	}

	@Test
	void aReleaseWithAWaiterPublishesOneWakeUp(StandaloneRedis redis) {
		LockTestSupport.runner(redis, "waited").withPropertyValues("redis-patterns.lock.fallback-poll=1h").run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			LockLease held = locks.tryAcquire("contended", Duration.ofSeconds(30)).orElseThrow();
			CommandCalls before = CommandCalls.of(redis.node());
			java.util.concurrent.CompletableFuture<LockLease> waiter = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> locks.tryAcquire("contended", Duration.ofSeconds(30), Duration.ofMinutes(1))
					.orElseThrow());
			LockTestSupport.awaitTrue("the waiter marked the lock",
					() -> context.getBean(org.springframework.data.redis.core.StringRedisTemplate.class)
						.opsForValue()
						.get("waited:lock:held:{contended}")
						.endsWith(" w"));
			assertThat(held.release()).isTrue();
			LockLease next = waiter.join();
			assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
			assertThat(CommandCalls.of(redis.node()).since(before).get("spublish")).isEqualTo(1);
			assertThat(next.release()).isTrue();
		});
	}

	@Test
	void everyWaiterOfOneApplicationIsWokenInTurnByAPublishedReleaseWithoutPolling(StandaloneRedis redis) {
		LockTestSupport.runner(redis, "queue").withPropertyValues("redis-patterns.lock.fallback-poll=1h").run((context) -> {
			RedisLockTemplate locks = (RedisLockTemplate) context.getBean(LockTemplate.class);
			LockLease held = locks.tryAcquire("queued", Duration.ofSeconds(30)).orElseThrow();
			List<CompletableFuture<Long>> waiters = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				waiters.add(CompletableFuture.supplyAsync(() -> {
					LockLease lease = locks.tryAcquire("queued", Duration.ofSeconds(30), Duration.ofSeconds(20))
						.orElseThrow();
					lease.release();
					return lease.fencingToken();
				}));
			}
			// every waiter has found the lock busy once and sleeps: only wake-ups hand the lock on quickly
			LockTestSupport.awaitTrue("three threads wait", () -> locks.wakeUps().waiting() == 3);
			CommandCalls before = CommandCalls.of(redis.node());
			held.release();
			for (CompletableFuture<Long> waiter : waiters) {
				assertThat(waiter.join()).isGreaterThan(held.fencingToken());
			}
			// the holder's release, then each waiter's: a waiter that took the lock after waiting marks
			// its own hold, so its release wakes the next one (a release wakes one waiter per application)
			assertThat(CommandCalls.of(redis.node()).since(before).get("spublish")).isEqualTo(4);
		});
	}

	/** The calls of the lock work: keep-alive and cluster topology reads left out. */
	private static Map<String, Long> work(CommandCalls calls) {
		Map<String, Long> work = new LinkedHashMap<>();
		calls.asMap().forEach((command, count) -> {
			if (!command.equals("ping") && !command.startsWith("cluster")) {
				work.put(command, count);
			}
		});
		return work;
	}

}
