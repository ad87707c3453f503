package io.redispatterns.failfast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisFailureKind;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisOutcomeUnknownException;
import io.redispatterns.core.RedisUnavailableException;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.pubsub.PubSubPublisher;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.internal.RedisRateLimiter;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.session.internal.RedisPatternsSessionRepository.RedisPatternsSession;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static io.redispatterns.failfast.FailFastContexts.awaitUntil;
import static io.redispatterns.failfast.FailFastContexts.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Redis refused, black-holed, absent at start-up and back again, seen through a proxy: every
 * pattern's operation ends with the kind of failure the caller can act on (unavailable: nothing
 * applied; outcome unknown: sent, no reply), rate limiting applies its failure modes, the cache
 * falls back to its loader, health says DOWN, and everything works again once Redis is back.
 * Elapsed times are printed; the only time asserted is {@link #HANG_GUARD}, ten times the 500 ms
 * command timeout these tests set, which tells a bounded failure from the hang of about 15 s the
 * library had before it bounded its commands (generous, so a loaded machine cannot trip it).
 */
@WithRedis
class RedisFaultsFailFastTests {

	static final java.time.Duration HANG_GUARD = java.time.Duration.ofSeconds(5);

	StandaloneRedis redis;

	@Test
	void whileTheConnectionIsDownCommandsWaitAtMostTheCommandTimeoutAndEveryPatternRecoversAfter() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			FailFastContexts.runner(proxy)
				.withPropertyValues("redis-patterns.client.command-timeout=500ms")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Patterns patterns = new Patterns(context);
					awaitUntil("every pattern works (first calls connect and load scripts)", patterns::allWork);

					proxy.refuse(true);
					// Lettuce keeps commands issued while it reconnects: they end at the command timeout, as unknown
					patterns.assertRedisFaults(RedisFailureKind.OUTCOME_UNKNOWN, "refused");

					proxy.refuse(false);
					long start = System.nanoTime();
					awaitUntil("every pattern works again", patterns::allWork);
					System.out.printf("[fail-fast] refused -> every pattern works %.0f ms after Redis accepted again%n",
							millisSince(start));
					patterns.assertAllWork("after");
				});
		}
	}

	@Test
	void rejectingWhileDisconnectedFailsEveryPatternAtOnceAsUnavailable() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			FailFastContexts.runner(proxy)
				.withPropertyValues("redis-patterns.client.reject-while-disconnected=true")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Patterns patterns = new Patterns(context);
					awaitUntil("every pattern works (first calls connect and load scripts)", patterns::allWork);

					proxy.refuse(true);
					patterns.assertRedisFaults(RedisFailureKind.UNAVAILABLE, "refused, rejecting");

					proxy.refuse(false);
					long start = System.nanoTime();
					awaitUntil("every pattern works again", patterns::allWork);
					System.out.printf(
							"[fail-fast] refused, rejecting -> every pattern works %.0f ms after Redis accepted again%n",
							millisSince(start));
				});
		}
	}

	@Test
	void everyPatternFailsWithinTheCommandTimeoutAsOutcomeUnknownWhenRedisStopsAnswering() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			FailFastContexts.runner(proxy)
				.withPropertyValues("redis-patterns.client.command-timeout=500ms")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Patterns patterns = new Patterns(context);
					awaitUntil("every pattern works (first calls connect and load scripts)", patterns::allWork);

					proxy.blackHole(true);
					patterns.assertRedisFaults(RedisFailureKind.OUTCOME_UNKNOWN, "black hole");

					proxy.heal();
					long start = System.nanoTime();
					awaitUntil("every pattern works again", patterns::allWork);
					System.out.printf("[fail-fast] black hole -> every pattern works %.0f ms after healing%n",
							millisSince(start));
				});
		}
	}

	@Test
	void applicationStartsWithRedisDownReportsDownAndWorksOnceRedisAppears() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			long warm = System.nanoTime();
			FailFastContexts.runner(proxy).run((context) -> System.out
				.printf("[fail-fast] context started with Redis up in %.0f ms%n", millisSince(warm)));
			proxy.refuse(true);
			long startup = System.nanoTime();
			FailFastContexts.runner(proxy).run((context) -> {
				System.out.printf("[fail-fast] context started with Redis down in %.0f ms%n", millisSince(startup));
				assertThat(context).hasNotFailed();
				Patterns patterns = new Patterns(context);
				patterns.assertRedisFaults(RedisFailureKind.UNAVAILABLE, "down at start");

				proxy.refuse(false);
				long start = System.nanoTime();
				awaitUntil("every pattern works once Redis appears", patterns::allWork);
				System.out.printf("[fail-fast] down at start -> every pattern works %.0f ms after Redis appeared%n",
						millisSince(start));
				patterns.assertAllWork("after start-up with Redis down");
			});
		}
	}

	@Test
	void commandsInFlightWhenTheConnectionDropsAreResentAfterTheReconnectByDefault() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			FailFastContexts.runner(proxy).run((context) -> {
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				String key = "failfast:replayed:" + System.nanoTime();
				redis.opsForValue().get("failfast:warm-up");
				proxy.dropReplyOnce(key, RedisProxy.Close.FIN);
				Long value = redis.opsForValue().increment(key);
				assertThat(proxy.dropFired()).isTrue();
				assertThat(proxy.forwardedCount(key)).isEqualTo(2);
				assertThat(value).isEqualTo(2L);
			});
		}
	}

	@Test
	void rejectingWhileDisconnectedFailsCommandsInFlightAsOutcomeUnknownInsteadOfResendingThem() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			FailFastContexts.runner(proxy)
				.withPropertyValues("redis-patterns.client.reject-while-disconnected=true")
				.run((context) -> {
					StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
					String key = "failfast:not-replayed:" + System.nanoTime();
					redis.opsForValue().get("failfast:warm-up");
					proxy.dropReplyOnce(key, RedisProxy.Close.FIN);
					Throwable failure = catchThrowable(() -> redis.opsForValue().increment(key));
					assertThat(RedisFailures.classify(failure)).as("%s", failure)
						.isEqualTo(RedisFailureKind.OUTCOME_UNKNOWN);
					assertThat(proxy.forwardedCount(key)).isEqualTo(1);
					String stored = this.redis.node().execute((commands) -> commands.get(key));
					assertThat(stored).isEqualTo("1");
				});
		}
	}

	@Test
	void aSessionReadWhoseConnectionIsResetUnderItIsRetriedOnce() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			FailFastContexts.runner(proxy).run((context) -> {
				RedisPatternsSessionRepository sessions = context.getBean(RedisPatternsSessionRepository.class);
				RedisPatternsSession session = sessions.createSession();
				session.setAttribute("cart", "3 items");
				sessions.save(session);
				String key = sessions.sessionKey(session.getId());
				proxy.dropReplyOnce(key, RedisProxy.Close.RST);
				RedisPatternsSession found = sessions.findById(session.getId());
				assertThat(proxy.dropFired()).isTrue();
				assertThat(proxy.forwardedCount(key)).isEqualTo(2);
				assertThat(found).isNotNull();
				assertThat((String) found.getAttribute("cart")).isEqualTo("3 items");
			});
		}
	}

	@Test
	void rateLimitBreakerOpensOnRedisFaultsForItsOwnPolicyOnly() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			FailFastContexts.runner(proxy)
				.withPropertyValues("redis-patterns.client.reject-while-disconnected=true",
						"redis-patterns.rate-limit.circuit-breaker.failure-threshold=3",
						"redis-patterns.rate-limit.circuit-breaker.open-duration=1h")
				.run((context) -> {
					RedisRateLimiter limiter = context.getBean(RedisRateLimiter.class);
					awaitUntil("both policies decide in Redis",
							() -> limiter.tryAcquire("closed", "c").outcome() == RateLimitDecision.Outcome.ALLOWED
									&& limiter.tryAcquire("open", "c").outcome() == RateLimitDecision.Outcome.ALLOWED);

					proxy.refuse(true);
					awaitUntil("the breaker of policy 'closed' opens", () -> {
						limiter.tryAcquire("closed", "c");
						return limiter.circuitBreaker("closed").state() == RedisCircuitBreaker.State.OPEN;
					});
					MeterRegistry meters = context.getBean(MeterRegistry.class);
					double shortCircuited = circuitOpenCount(meters);
					assertThat(limiter.tryAcquire("closed", "c").outcome())
						.isEqualTo(RateLimitDecision.Outcome.UNAVAILABLE);
					assertThat(circuitOpenCount(meters)).isEqualTo(shortCircuited + 1);

					// the other policy still asks Redis: its own breaker is closed
					assertThat(limiter.circuitBreaker("open").state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
					assertThat(limiter.tryAcquire("open", "c").outcome()).isEqualTo(RateLimitDecision.Outcome.DEGRADED);
					assertThat(circuitOpenCount(meters)).isEqualTo(shortCircuited + 1);
				});
		}
	}

	private static double circuitOpenCount(MeterRegistry meters) {
		Counter counter = meters.find("redis.patterns.ratelimit.failures").tag("reason", "circuit-open").counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void decisionsThatOutwaitTheLimiterTimeoutOnASlowButAnsweringRedisDoNotOpenTheBreaker() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			FailFastContexts.runner(proxy)
				.withPropertyValues("redis-patterns.rate-limit.timeout=20ms",
						"redis-patterns.rate-limit.circuit-breaker.failure-threshold=3",
						"redis-patterns.rate-limit.circuit-breaker.open-duration=1h")
				.run((context) -> {
					RedisRateLimiter limiter = context.getBean(RedisRateLimiter.class);
					awaitUntil("a first decision in Redis",
							() -> limiter.tryAcquire("closed", "slow").outcome() == RateLimitDecision.Outcome.ALLOWED);
					proxy.latency(java.time.Duration.ofMillis(100));
					List<RateLimitDecision.Outcome> outcomes = new ArrayList<>();
					for (int i = 0; i < 10; i++) {
						outcomes.add(limiter.tryAcquire("closed", "slow").outcome());
					}
					// each decision gave up at the limiter's timeout; Redis still answered every command
					assertThat(outcomes).containsOnly(RateLimitDecision.Outcome.UNAVAILABLE);
					assertThat(limiter.circuitBreaker("closed").state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
					proxy.heal();
					awaitUntil("decisions in Redis again",
							() -> limiter.tryAcquire("closed", "slow").outcome() == RateLimitDecision.Outcome.ALLOWED);
					assertThat(limiter.circuitBreaker("closed").state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
				});
		}
	}

	/** The patterns of one context and the checks run against them. */
	static final class Patterns {

		private final RateLimiter limiter;

		private final LockTemplate locks;

		private final CacheTemplate caches;

		private final RedisPatternsSessionRepository sessions;

		private final PubSubPublisher publisher;

		private final HealthIndicator patternsHealth;

		private final HealthIndicator redisHealth;

		private int loads;

		Patterns(AssertableApplicationContext context) {
			this.limiter = context.getBean(RateLimiter.class);
			this.locks = context.getBean(LockTemplate.class);
			this.caches = context.getBean(CacheTemplate.class);
			this.sessions = context.getBean(RedisPatternsSessionRepository.class);
			this.publisher = context.getBean(PubSubPublisher.class);
			this.patternsHealth = context.getBean("redisPatternsHealthIndicator", HealthIndicator.class);
			this.redisHealth = context.getBean("redisHealthContributor", HealthIndicator.class);
		}

		boolean allWork() {
			try {
				assertAllWork("recovering");
				return true;
			}
			catch (RuntimeException | AssertionError ex) {
				return false;
			}
		}

		void assertAllWork(String phase) {
			assertThat(this.limiter.tryAcquire("closed", phase).outcome()).as("fail-closed decision " + phase)
				.isEqualTo(RateLimitDecision.Outcome.ALLOWED);
			assertThat(this.limiter.tryAcquire("open", phase).outcome()).as("fail-open decision " + phase)
				.isEqualTo(RateLimitDecision.Outcome.ALLOWED);
			// a fresh name each time: an acquire whose reply was lost may still hold its lock until the lease ends
			String locked = this.locks.executeWithLock("failfast-" + phase + System.nanoTime(), (lease) -> "locked");
			assertThat(locked).isEqualTo("locked");
			String key = phase + System.nanoTime();
			this.caches.put("failfast", key, "cached");
			assertThat(this.caches.get("failfast", key, String.class)).as("cache " + phase).isEqualTo("cached");
			RedisPatternsSession session = this.sessions.createSession();
			session.setAttribute("phase", phase);
			this.sessions.save(session);
			assertThat(this.sessions.findById(session.getId())).as("session " + phase).isNotNull();
			this.publisher.publish("failfast", Map.of("phase", phase));
			assertThat(this.patternsHealth.health().getStatus()).as("redisPatterns health " + phase).isEqualTo(Status.UP);
			assertThat(this.redisHealth.health().getStatus()).as("redis health " + phase).isEqualTo(Status.UP);
		}

		void assertRedisFaults(RedisFailureKind kind, String fault) {
			Class<? extends RuntimeException> type = (kind == RedisFailureKind.UNAVAILABLE)
					? RedisUnavailableException.class : RedisOutcomeUnknownException.class;
			RateLimitDecision.Outcome closed = timed(fault, "rate limit, fail-closed",
					() -> this.limiter.tryAcquire("closed", fault).outcome());
			assertThat(closed).isEqualTo(RateLimitDecision.Outcome.UNAVAILABLE);
			RateLimitDecision.Outcome open = timed(fault, "rate limit, fail-open",
					() -> this.limiter.tryAcquire("open", fault).outcome());
			assertThat(open).isEqualTo(RateLimitDecision.Outcome.DEGRADED);

			Throwable lock = timed(fault, "lock",
					() -> catchThrowable(() -> this.locks.executeWithLock("failfast-" + fault + System.nanoTime(),
							(lease) -> "locked")));
			assertThat(RedisFailures.classify(lock)).as("lock failure %s", lock).isEqualTo(kind);

			Supplier<String> getOrLoad = () -> this.caches.getOrLoad("failfast", fault + "-" + (++this.loads),
					String.class, () -> "loaded");
			String loaded = timed(fault, "cache get-or-load", getOrLoad);
			assertThat(loaded).isEqualTo("loaded");

			RedisPatternsSession session = this.sessions.createSession();
			session.setAttribute("phase", fault);
			assertThat(timed(fault, "session save", () -> catchThrowable(() -> this.sessions.save(session))))
				.isInstanceOf(type);
			assertThat(timed(fault, "session find",
					() -> catchThrowable(() -> this.sessions.findById(session.getId()))))
				.isInstanceOf(type);
			assertThat(timed(fault, "pub/sub publish",
					() -> catchThrowable(() -> this.publisher.publish("failfast", Map.of("phase", fault)))))
				.isInstanceOf(type);

			for (HealthIndicator indicator : List.of(this.patternsHealth, this.redisHealth)) {
				Health health = timed(fault, "health", indicator::health);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().toString()).doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Za-z.]*Exception");
			}
		}

		private static <T> T timed(String fault, String operation, Supplier<T> call) {
			long start = System.nanoTime();
			T result = call.get();
			double millis = millisSince(start);
			System.out.printf("[fail-fast] %s: %s answered in %.0f ms: %s%n", fault, operation, millis, result);
			assertThat(millis).as("%s with %s ended within the hang guard", operation, fault)
				.isLessThan((double) HANG_GUARD.toMillis());
			return result;
		}

	}

}
