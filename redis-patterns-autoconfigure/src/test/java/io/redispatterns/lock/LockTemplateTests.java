package io.redispatterns.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.lock.internal.LockEndpointDetails;
import io.redispatterns.lock.internal.LockHealthDetails;
import io.redispatterns.lock.internal.RedisLockTemplate;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link LockTemplate} against a real standalone Redis.
 */
@WithRedis
class LockTemplateTests {

	RedisDeployment redis;

	private ApplicationContextRunner runner() {
		return LockTestSupport.runner(this.redis).withBean(MeterRegistry.class, SimpleMeterRegistry::new);
	}

	@Test
	void acquisitionSetsOneLockKeyHoldingOwnerAndFencingTokenAndReleaseLeavesOnlyAMarkerForTheRestOfTheLease() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String prefix = context.getEnvironment().getProperty("redis-patterns.key-prefix");
			LockLease lease = locks.tryAcquire("inventory:sku-1", Duration.ofSeconds(10)).orElseThrow();
			String lockKey = prefix + ":lock:held:{inventory%3Asku-1}";
			String markerKey = prefix + ":lock:released:{inventory%3Asku-1}";
			assertThat(redis.opsForValue().get(lockKey)).isEqualTo(lease.ownerToken())
				.endsWith(" " + lease.fencingToken());
			assertThat(redis.getExpire(lockKey, TimeUnit.MILLISECONDS)).isBetween(1L, 10_000L);
			assertThat(redis.keys(prefix + ":*")).containsExactly(lockKey);
			assertThat(lease.remaining()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
			assertThat(lease.isValid()).isTrue();
			assertThat(lease.release()).isTrue();
			assertThat(redis.keys(prefix + ":*")).containsExactly(markerKey);
			assertThat(redis.getExpire(markerKey, TimeUnit.MILLISECONDS)).isBetween(1L, 10_000L);
		});
	}

	@Test
	void fencingTokenIsTheServerTimeInMicrosecondsAndTheHeldValueEndsWithItAlsoWhenTheMicrosecondsHaveFewerDigits() {
		// About one acquisition in ten reads a microsecond part below 100000, which the script pads
		// to six digits: 200 acquisitions miss that case with a probability of 10^-9.
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String lockKey = context.getEnvironment().getProperty("redis-patterns.key-prefix") + ":lock:held:{clocked}";
			for (int i = 0; i < 200; i++) {
				long before = serverMicros(redis);
				LockLease lease = locks.tryAcquire("clocked", Duration.ofSeconds(5)).orElseThrow();
				long after = serverMicros(redis);
				assertThat(lease.fencingToken()).isBetween(before, after);
				assertThat(redis.opsForValue().get(lockKey)).isEqualTo(lease.ownerToken())
					.endsWith(" " + lease.fencingToken());
				assertThat(lease.release()).isTrue();
			}
		});
	}

	private static long serverMicros(StringRedisTemplate redis) {
		Long micros = redis.execute((RedisCallback<Long>) (connection) -> connection.serverCommands()
			.time(TimeUnit.MICROSECONDS));
		return (micros != null) ? micros : -1;
	}

	@Test
	void fencingTokenStrictlyIncreasesEveryTimeTheLockChangesHands() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			long previous = 0;
			for (int i = 0; i < 50; i++) {
				LockLease lease = locks.tryAcquire("fenced", Duration.ofSeconds(5)).orElseThrow();
				assertThat(lease.fencingToken()).isGreaterThan(previous);
				previous = lease.fencingToken();
				lease.release();
			}
		});
	}

	@Test
	void fencingTokenStaysLargerWhenNoKeyOfTheLockIsLeft() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String prefix = context.getEnvironment().getProperty("redis-patterns.key-prefix");
			LockLease first = locks.tryAcquire("marker-gone", Duration.ofSeconds(5)).orElseThrow();
			first.release();
			redis.delete(prefix + ":lock:released:{marker-gone}");
			assertThat(redis.keys(prefix + ":*")).isEmpty();
			LockLease second = locks.tryAcquire("marker-gone", Duration.ofSeconds(5)).orElseThrow();
			assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
			second.release();
		});
	}

	@Test
	void fencingTokensKeepIncreasingAcrossRestartsOfTheApplication() {
		String prefix = "restarts-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		long previous = 0;
		for (int restart = 0; restart < 3; restart++) {
			long[] last = { previous };
			LockTestSupport.runner(this.redis, prefix).run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				for (int i = 0; i < 5; i++) {
					LockLease lease = locks.tryAcquire("across-restarts", Duration.ofSeconds(5)).orElseThrow();
					assertThat(lease.fencingToken()).isGreaterThan(last[0]);
					last[0] = lease.fencingToken();
					assertThat(lease.release()).isTrue();
				}
			});
			previous = last[0];
		}
	}

	@Test
	void aBusyLockIsNotAcquiredWithZeroWait() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			LockLease held = locks.tryAcquire("busy", Duration.ofSeconds(10)).orElseThrow();
			assertThat(locks.tryAcquire("busy", Duration.ofSeconds(10))).isEmpty();
			assertThat(locks.tryAcquire("busy", Duration.ofSeconds(10), Duration.ofMillis(100))).isEmpty();
			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> locks.executeWithLock("busy", LockOptions.defaults(), (lease) -> "never"))
				.withMessageContaining("'busy' is held by another owner")
				.satisfies((ex) -> assertThat(ex.getLockName()).isEqualTo("busy"));
			held.release();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("redis.patterns.lock.acquire").tags("lock", "unnamed", "result", "busy").timer().count())
				.isEqualTo(2);
			assertThat(meters.get("redis.patterns.lock.acquire").tags("lock", "unnamed", "result", "timeout").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("redis.patterns.lock.acquire").tags("lock", "unnamed", "result", "acquired").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("redis.patterns.lock.held").tags("lock", "unnamed").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void expiredHolderCannotReleaseOrExtendTheNextHoldersLock() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			LockLease a = locks.tryAcquire("expiring", Duration.ofMillis(150)).orElseThrow();
			LockTestSupport.awaitTrue("A's lease has run out", () -> !a.isValid());
			LockLease b = locks.tryAcquire("expiring", Duration.ofSeconds(10), Duration.ofSeconds(5)).orElseThrow();
			assertThat(b.fencingToken()).isGreaterThan(a.fencingToken());
			assertThat(a.release()).isFalse();
			assertThat(a.extend(Duration.ofSeconds(30))).isFalse();
			assertThat(a.isValid()).isFalse();
			String prefix = context.getEnvironment().getProperty("redis-patterns.key-prefix");
			// B waited, so its hold carries the waiter mark (" w") after its owner token
			assertThat(redis.opsForValue().get(prefix + ":lock:held:{expiring}")).startsWith(b.ownerToken());
			assertThat(redis.getExpire(prefix + ":lock:held:{expiring}", TimeUnit.MILLISECONDS)).isGreaterThan(5_000L);
			assertThat(b.release()).isTrue();
		});
	}

	@Test
	void releaseIsIdempotentAndWorksFromAnotherThread() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			LockLease lease = locks.tryAcquire("handed-over", Duration.ofSeconds(10)).orElseThrow();
			assertThat(lease.extend(Duration.ofSeconds(20))).isTrue();
			assertThat(lease.remaining()).isGreaterThan(Duration.ofSeconds(10));
			Boolean released = CompletableFuture.supplyAsync(lease::release).get(10, TimeUnit.SECONDS);
			assertThat(released).isTrue();
			assertThat(lease.release()).isFalse();
			assertThat(lease.isValid()).isFalse();
			assertThat(lease.remaining()).isZero();
			assertThat(locks.tryAcquire("handed-over", Duration.ofSeconds(10))).isPresent();
		});
	}

	@Test
	void watchdogKeepsACallbackThatRunsFiveLeasesLongExclusive() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String key = context.getEnvironment().getProperty("redis-patterns.key-prefix") + ":lock:held:{long-job}";
			Duration lease = Duration.ofMillis(600);
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger stolen = new AtomicInteger();
			AtomicInteger attempts = new AtomicInteger();
			CountDownLatch started = new CountDownLatch(1);
			Thread contender = new Thread(() -> {
				awaitQuietly(started);
				// every attempt is a round trip to Redis, which paces the loop
				while (running.get()) {
					attempts.incrementAndGet();
					locks.tryAcquire("long-job", lease).ifPresent((l) -> {
						stolen.incrementAndGet();
						l.release();
					});
				}
			});
			contender.start();
			String result = locks.executeWithLock("long-job", LockOptions.defaults().withLease(lease), (held) -> {
				started.countDown();
				// the callback runs until the watchdog has renewed the lease five times (its TTL in Redis
				// went back up five times): without renewals the key expires after one lease and the
				// contender takes the lock, or the TTL never goes up and this wait times out
				AtomicLong lastTtl = new AtomicLong(Long.MAX_VALUE);
				AtomicInteger renewals = new AtomicInteger();
				Awaitility.await("five renewals of the lease")
					.atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> {
						Long ttl = redis.getExpire(key, TimeUnit.MILLISECONDS);
						if (ttl != null && ttl > lastTtl.getAndSet(ttl)) {
							renewals.incrementAndGet();
						}
						return renewals.get() >= 5;
					});
				// stop the contender while still holding the lock, so every attempt it made overlapped the callback
				running.set(false);
				joinQuietly(contender);
				assertThat(held.isValid()).isTrue();
				return "done";
			});
			assertThat(result).isEqualTo("done");
			assertThat(attempts.get()).isPositive();
			assertThat(stolen.get()).isZero();
		});
	}

	@Test
	void callbackThatOutlivesItsLeaseWithoutWatchdogReturnsItsResultAndCountsTheLoss() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String key = context.getEnvironment().getProperty("redis-patterns.key-prefix") + ":lock:held:{no-watchdog}";
			assertThat(locks.<String>executeWithLock("no-watchdog",
					LockOptions.defaults().withLease(Duration.ofMillis(100)).withWatchdog(false).withLogicalName("job"),
					(lease) -> {
						LockTestSupport.awaitTrue("the lock expired in Redis", () -> !redis.hasKey(key));
						return "late";
					}))
				.isEqualTo("late");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("redis.patterns.lock.lost").tags("lock", "job").counter().count()).isEqualTo(1);
		});
	}

	@Test
	void renewalThatFindsTheLockTakenMarksTheLeaseLostAndTheCallbackResultIsStillReturned() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String prefix = context.getEnvironment().getProperty("redis-patterns.key-prefix");
			AtomicBoolean ran = new AtomicBoolean();
			assertThat(locks.<String>executeWithLock("stolen",
					LockOptions.defaults().withLease(Duration.ofMillis(300)).withLogicalName("stolen"), (lease) -> {
						redis.opsForValue().set(prefix + ":lock:held:{stolen}", "someone-else", Duration.ofSeconds(10));
						LockTestSupport.awaitTrue("the watchdog found the lock lost", () -> !lease.isValid());
						ran.set(true);
						return "done";
					}))
				.isEqualTo("done");
			assertThat(ran).isTrue();
			assertThat(redis.opsForValue().get(prefix + ":lock:held:{stolen}")).isEqualTo("someone-else");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("redis.patterns.lock.lost").tags("lock", "stolen").counter().count()).isEqualTo(1);
		});
	}

	@Test
	void callbackExceptionIsRethrownAndTheLockReleased() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(
					() -> locks.executeWithLock("failing", (lease) -> {
						throw new IllegalStateException("boom");
					}))
				.withMessage("boom");
			assertThat(locks.tryAcquire("failing", Duration.ofSeconds(1))).isPresent();
		});
	}

	@Test
	void holdAtLeastKeepsTheLockAfterAFastCallback() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			locks.executeWithLock("fast-job", LockOptions.defaults().withHoldAtLeast(Duration.ofSeconds(5)), (lease) -> 1);
			assertThat(locks.tryAcquire("fast-job", Duration.ofSeconds(1))).isEmpty();
		});
	}

	@Test
	void lockViewIsReentrantAndThreadBound() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			Lock lock = locks.asLock("view");
			lock.lock();
			assertThat(lock.tryLock()).isTrue();
			assertThat(locks.asLock("view").tryLock(10, TimeUnit.MILLISECONDS)).isTrue();
			CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
				try {
					return locks.asLock("view").tryLock(200, TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(other.get(10, TimeUnit.SECONDS)).isFalse();
			CompletableFuture<Throwable> foreignUnlock = CompletableFuture.supplyAsync(() -> {
				try {
					lock.unlock();
					return null;
				}
				catch (Throwable ex) {
					return ex;
				}
			});
			assertThat(foreignUnlock.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalMonitorStateException.class)
				.hasMessageContaining("'view' is not held by the current thread");
			lock.unlock();
			lock.unlock();
			assertThat(locks.tryAcquire("view", Duration.ofSeconds(1))).isEmpty();
			lock.unlock();
			assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(lock::unlock);
			Optional<LockLease> afterUnlock = CompletableFuture
				.supplyAsync(() -> locks.tryAcquire("view", Duration.ofSeconds(1)))
				.get(10, TimeUnit.SECONDS);
			assertThat(afterUnlock).isPresent();
			afterUnlock.get().release();
		});
	}

	@Test
	void lockViewWaitsForTheLockAndThrowsOnNewCondition() {
		runner().run((context) -> {
			RedisLockTemplate locks = (RedisLockTemplate) context.getBean(LockTemplate.class);
			LockLease held = locks.tryAcquire("view-wait", Duration.ofSeconds(10)).orElseThrow();
			CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
				Lock lock = locks.asLock("view-wait");
				lock.lock();
				lock.unlock();
				return true;
			});
			LockTestSupport.awaitTrue("the waiter is parked", () -> locks.wakeUps().waiting() == 1);
			assertThat(waiter).isNotDone();
			held.release();
			assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> locks.asLock("view-wait").newCondition());
		});
	}

	@Test
	void waiterIsWokenByTheReleaseMessageWithoutPolling() {
		runner().withPropertyValues("redis-patterns.lock.fallback-poll=1h").run((context) -> {
			RedisLockTemplate locks = (RedisLockTemplate) context.getBean(LockTemplate.class);
			List<Long> handOffs = new ArrayList<>();
			for (int round = 0; round < 60; round++) {
				LockLease held = locks.tryAcquire("hand-off", Duration.ofMinutes(1)).orElseThrow();
				AtomicReference<Thread> waiting = new AtomicReference<>();
				CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
					waiting.set(Thread.currentThread());
					LockLease next = locks.tryAcquire("hand-off", Duration.ofMinutes(1), Duration.ofSeconds(30))
						.orElseThrow();
					long acquiredAt = System.nanoTime();
					next.release();
					return acquiredAt;
				});
				LockTestSupport.awaitParkedOnWakeUp(waiting);
				long releasedAt = System.nanoTime();
				held.release();
				handOffs.add(waiter.get(20, TimeUnit.SECONDS) - releasedAt);
			}
			assertThat(locks.wakeUps().subscriptions()).isZero();
			System.out.println("[lock hand-off standalone] release -> waiter acquired: "
					+ LockTestSupport.percentiles(handOffs.subList(10, handOffs.size())));
		});
	}

	@Test
	void endpointListsHeldLocksWithOwnerTtlAndFencingToken() {
		runner().run((context) -> {
			LockTemplate locks = context.getBean(LockTemplate.class);
			LockLease lease = locks.tryAcquire("inventory:sku-9", Duration.ofSeconds(30)).orElseThrow();
			Map<String, Object> description = context.getBean(LockEndpointDetails.class).describe();
			assertThat(description).containsEntry("heldByThisApplication", 1).containsEntry("wakeUps", "sharded-pubsub");
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> held = (List<Map<String, Object>>) description.get("held");
			assertThat(held).singleElement().satisfies((lock) -> {
				assertThat(lock).containsEntry("name", "inventory:sku-9").containsEntry("fencingToken", lease.fencingToken());
				assertThat((Long) lock.get("remainingTtlMs")).isBetween(1L, 30_000L);
				// the owning instance, never the owner token that could release the lease
				assertThat((String) lock.get("owner")).matches("[0-9a-f]{12}");
			});
			assertThat(context.getBean(LockHealthDetails.class).health().getDetails())
				.containsEntry("heldByThisApplication", 1);
			lease.release();
		});
	}

	private static void joinQuietly(Thread thread) {
		try {
			thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
