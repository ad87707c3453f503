package io.redispatterns.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactness under concurrency: three application contexts (three "instances" of an app) share one
 * Redis; 64 threads spread over them race for a quota of 100. Exactly 100 must pass, for every
 * algorithm, on a standalone server, on a master found through Sentinel and on a 3-master Cluster.
 * Two limits charged together (100 and 50 for the same client) admit exactly 50, and the wider
 * limit is charged exactly 50 times: all or none under contention.
 */
class RateLimitConcurrencyTests {

	private static final int THREADS = 64;

	private static final int ATTEMPTS_PER_THREAD = 5;

	private static final int LIMIT = 100;

	@ParameterizedTest
	@EnumSource(RedisTopology.class)
	void exactlyTheLimitPassesForEveryAlgorithmAcrossThreeContexts(RedisTopology topology) {
		RedisDeployment redis = EmbeddedRedis.shared(topology);
		// windows of a day keep refills (token bucket, GCRA: one unit per 864 s) out of the race
		ApplicationContextRunner runner = RateLimitTestContexts.runner(redis,
				"redis-patterns.rate-limit.policies.fixed.algorithm=fixed-window",
				"redis-patterns.rate-limit.policies.fixed.limit=" + LIMIT,
				"redis-patterns.rate-limit.policies.fixed.window=1d",
				"redis-patterns.rate-limit.policies.log.algorithm=sliding-window",
				"redis-patterns.rate-limit.policies.log.limit=" + LIMIT,
				"redis-patterns.rate-limit.policies.log.window=1d",
				"redis-patterns.rate-limit.policies.counter.algorithm=sliding-window-counter",
				"redis-patterns.rate-limit.policies.counter.limit=" + LIMIT,
				"redis-patterns.rate-limit.policies.counter.window=1d",
				"redis-patterns.rate-limit.policies.bucket.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.bucket.capacity=" + LIMIT,
				"redis-patterns.rate-limit.policies.bucket.refill-rate=" + LIMIT + "/1d",
				"redis-patterns.rate-limit.policies.gcra.limit=" + LIMIT,
				"redis-patterns.rate-limit.policies.gcra.window=1d",
				"redis-patterns.rate-limit.policies.half.limit=" + (LIMIT / 2),
				"redis-patterns.rate-limit.policies.half.window=1d",
				"redis-patterns.rate-limit.timeout=5s");
		String client = "client-" + System.nanoTime();
		RateLimitTestContexts.withContexts(runner, 3, (contexts) -> {
			for (String policy : List.of("fixed", "log", "counter", "bucket", "gcra")) {
				int allowed = race(contexts, (limiter) -> limiter.tryAcquire(policy, client));
				System.out.printf("[concurrency] %s %s: %d of %d attempts allowed%n", topology, policy, allowed,
						THREADS * ATTEMPTS_PER_THREAD);
				assertThat(allowed).as("%s on %s", policy, topology).isEqualTo(LIMIT);
			}
			List<RateLimitRequest> pair = List.of(RateLimitRequest.of("log", client + "-pair"),
					RateLimitRequest.of("half", client + "-pair"));
			int allowed = race(contexts, (limiter) -> limiter.tryAcquire(pair));
			System.out.printf("[concurrency] %s sliding-window 100 + gcra 50 together: %d allowed%n", topology, allowed);
			assertThat(allowed).isEqualTo(LIMIT / 2);
			RateLimitDecision wide = contexts.get(0).getBean(RateLimiter.class).tryAcquire("log", client + "-pair");
			assertThat(wide.limits().get(0).remaining()).as("units left of the 100 after 50 joint admissions + this one")
				.isEqualTo(LIMIT / 2 - 1);
		});
	}

	private static int race(List<AssertableApplicationContext> contexts,
			Function<RateLimiter, RateLimitDecision> attempt) {
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		try {
			CountDownLatch start = new CountDownLatch(1);
			AtomicInteger allowed = new AtomicInteger();
			AtomicInteger degraded = new AtomicInteger();
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				RateLimiter limiter = contexts.get(t % contexts.size()).getBean(RateLimiter.class);
				futures.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < ATTEMPTS_PER_THREAD; i++) {
						RateLimitDecision decision = attempt.apply(limiter);
						if (decision.outcome() == RateLimitDecision.Outcome.ALLOWED) {
							allowed.incrementAndGet();
						}
						else if (decision.outcome() != RateLimitDecision.Outcome.REJECTED) {
							degraded.incrementAndGet();
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
			assertThat(degraded.get()).as("decisions that did not reach Redis").isZero();
			return allowed.get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			pool.shutdownNow();
		}
	}

}
