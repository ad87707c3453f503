package io.redispatterns.lock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.core.RedisOutcomeUnknownException;
import io.redispatterns.core.RedisUnavailableException;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Lock commands whose reply is lost: Lettuce re-sends them after an orderly close (a real replay,
 * proved by the proxy's count of forwarded commands), or fails them after a reset.
 */
@WithRedis
class LockReplayTests {

	RedisDeployment redis;

	private final List<LockLostEvent> lost = new CopyOnWriteArrayList<>();

	private ApplicationContextRunner runner(RedisProxy proxy) {
		return LockTestSupport.runner(proxy)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("lockLostListener", ApplicationListener.class,
					() -> (ApplicationListener<LockLostEvent>) this.lost::add);
	}

	private static String heldKey(org.springframework.context.ApplicationContext context, String name) {
		return context.getEnvironment().getProperty("redis-patterns.key-prefix") + ":lock:held:{" + name + "}";
	}

	private static String fenceKey(org.springframework.context.ApplicationContext context, String name) {
		return context.getEnvironment().getProperty("redis-patterns.key-prefix") + ":lock:fence:{" + name + "}";
	}

	/** Loads the lock scripts, so the faulted command is the script itself, not a NOSCRIPT round. */
	private static void warmUp(LockTemplate locks) {
		LockLease lease = locks.tryAcquire("warm-up", Duration.ofSeconds(5)).orElseThrow();
		lease.extend(Duration.ofSeconds(5));
		lease.release();
	}

	@Test
	void acquisitionReSentAfterALostReplyRecognisesItsOwnTokenAndGetsTheLock() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			runner(proxy).run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				warmUp(locks);
				proxy.dropReplyOnce("replayed-acquire", RedisProxy.Close.FIN);

				LockLease lease = locks.tryAcquire("replayed-acquire", Duration.ofSeconds(30)).orElse(null);

				assertThat(proxy.dropFired()).isTrue();
				assertThat(proxy.forwardedCount("replayed-acquire")).as("the acquisition ran twice").isEqualTo(2);
				assertThat(lease).as("the re-sent acquisition found its own owner token").isNotNull();
				assertThat(template.opsForValue().get(heldKey(context, "replayed-acquire"))).isEqualTo(lease.ownerToken());
				assertThat(Long.parseLong(template.opsForValue().get(fenceKey(context, "replayed-acquire"))))
					.as("the same fencing token as the first run issued, not a second one")
					.isEqualTo(lease.fencingToken());
				assertThat(lease.release()).isTrue();
				assertThat(template.hasKey(heldKey(context, "replayed-acquire"))).isFalse();
				assertThat(this.lost).isEmpty();
			});
		}
	}

	@Test
	void executeWithLockWhoseAcquisitionIsReSentRunsTheCallbackOnce() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			runner(proxy).run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				warmUp(locks);
				proxy.dropReplyOnce("replayed-execute", RedisProxy.Close.FIN);
				List<Long> tokens = new CopyOnWriteArrayList<>();

				String result = locks.executeWithLock("replayed-execute",
						LockOptions.defaults().withLease(Duration.ofSeconds(30)).withWait(Duration.ZERO), (lease) -> {
							tokens.add(lease.fencingToken());
							return "done";
						});

				assertThat(proxy.forwardedCount("replayed-execute")).as("acquired (twice) and released").isEqualTo(3);
				assertThat(result).isEqualTo("done");
				assertThat(tokens).hasSize(1);
				assertThat(this.lost).isEmpty();
			});
		}
	}

	@Test
	void releaseReSentAfterALostReplyStillReportsReleasedAndNoLoss() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			runner(proxy).run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				warmUp(locks);
				LockLease lease = locks.tryAcquire("replayed-release", Duration.ofSeconds(30)).orElseThrow();
				// the owner token is in the release (and extension) command only
				proxy.dropReplyOnce(lease.ownerToken(), RedisProxy.Close.FIN);

				boolean released = lease.release();

				assertThat(proxy.forwardedCount(lease.ownerToken())).as("the release ran twice").isEqualTo(2);
				assertThat(released).as("the second run recognised the first one's release").isTrue();
				assertThat(template.hasKey(heldKey(context, "replayed-release"))).isFalse();
				assertThat(this.lost).isEmpty();
				assertThat(context.getBean(MeterRegistry.class).find("redis.patterns.lock.lost").counter()).isNull();
				assertThat(locks.tryAcquire("replayed-release", Duration.ofSeconds(30))).isPresent();
			});
		}
	}

	@Test
	void extensionReSentAfterALostReplyStillExtends() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			runner(proxy).run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				warmUp(locks);
				LockLease lease = locks.tryAcquire("replayed-extend", Duration.ofSeconds(30)).orElseThrow();
				proxy.dropReplyOnce(lease.ownerToken(), RedisProxy.Close.FIN);

				boolean extended = lease.extend(Duration.ofMinutes(5));

				assertThat(proxy.forwardedCount(lease.ownerToken())).isEqualTo(2);
				assertThat(extended).isTrue();
				assertThat(template.getExpire(heldKey(context, "replayed-extend"))).isGreaterThan(60);
				assertThat(lease.release()).isTrue();
			});
		}
	}

	@Test
	void acquisitionWhoseReplyIsLostOnAResetIsAnUnknownOutcomeThatIsCleanedUp() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			runner(proxy).run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				warmUp(locks);
				proxy.dropReplyOnce("reset-acquire", RedisProxy.Close.RST);

				assertThatExceptionOfType(LockOutcomeUnknownException.class)
					.isThrownBy(() -> locks.tryAcquire("reset-acquire", Duration.ofSeconds(30)))
					.isInstanceOf(RedisOutcomeUnknownException.class)
					.withMessageContaining("no reply to the acquisition of lock 'reset-acquire'")
					.withMessageContaining("it had been acquired and is released again")
					.satisfies((ex) -> assertThat(ex.isCleanedUp()).isTrue())
					.satisfies((ex) -> assertThat(ex.getLockName()).isEqualTo("reset-acquire"));

				assertThat(proxy.dropFired()).isTrue();
				assertThat(template.hasKey(heldKey(context, "reset-acquire"))).as("cleaned up by owner token").isFalse();
				assertThat(locks.tryAcquire("reset-acquire", Duration.ofSeconds(30))).isPresent();
			});
		}
	}

	@Test
	void refusedConnectionIsUnavailableNotUnknown() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			proxy.refuse(true);
			runner(proxy).run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				assertThatExceptionOfType(LockUnavailableException.class)
					.isThrownBy(() -> locks.tryAcquire("refused", Duration.ofSeconds(30)))
					.isInstanceOf(RedisUnavailableException.class)
					.withMessageStartingWith("Redis is unavailable: could not acquire lock 'refused'");
			});
		}
	}

	@Test
	void leaseLostWhileTheCallbackRanReturnsTheResultAndPublishesTheLoss() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			runner(proxy).run((context) -> {
				LockTemplate locks = context.getBean(LockTemplate.class);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				String result = locks.executeWithLock("taken-over",
						LockOptions.defaults().withWatchdog(false).withLogicalName("takeover"), (lease) -> {
							// another owner has the lock by the time the work is done
							template.opsForValue().set(heldKey(context, "taken-over"), "someone-else", Duration.ofSeconds(10));
							return "written";
						});
				assertThat(result).as("the work ran: its result is returned").isEqualTo("written");
				assertThat(this.lost).singleElement().satisfies((event) -> {
					assertThat(event.getLockName()).isEqualTo("taken-over");
					assertThat(event.getLogicalName()).isEqualTo("takeover");
					assertThat(event.getFencingToken()).isPositive();
				});
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("redis.patterns.lock.lost").tags("lock", "takeover").counter().count()).isEqualTo(1);
				assertThat(template.opsForValue().get(heldKey(context, "taken-over"))).isEqualTo("someone-else");
			});
		}
	}

}
