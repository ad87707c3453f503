package io.redispatterns.ratelimit.internal;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.ratelimit.MissingKeyBehavior;
import io.redispatterns.ratelimit.RateLimitAlgorithm;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimitRequest;
import io.redispatterns.ratelimit.RateLimitTestContexts;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.RefillRate;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behaviour of the five algorithms against a real Redis: limits, refill arithmetic (checked
 * exactly against the state each script stored and the server time it read), windows at their
 * boundaries, all-or-none across limits, TTLs and runtime policy changes. The tests that run a
 * script directly run the one a one-limit decision sends ({@link DecisionScripts#single}); the
 * composed scripts decide exactly like those ({@code RateLimitSingleScriptTests}).
 */
@WithRedis
class RateLimitAlgorithmTests {

	RedisDeployment redis;

	private void run(ContextBody body) {
		RateLimitTestContexts.runner(this.redis, "redis-patterns.rate-limit.timeout=5s").run((context) -> {
			body.accept(context.getBean(RateLimiter.class), context.getBean(StringRedisTemplate.class),
					context.getBean(RedisKeys.class));
		});
	}

	interface ContextBody {

		void accept(RateLimiter limiter, StringRedisTemplate redis, RedisKeys keys) throws Exception;

	}

	private static String client() {
		return "c" + System.nanoTime();
	}

	@ParameterizedTest
	@EnumSource(RateLimitAlgorithm.class)
	void admitsExactlyTheLimitThenRejectsWithRetryAfter(RateLimitAlgorithm algorithm) {
		run((limiter, redis, keys) -> {
			RateLimitPolicy policy = (algorithm == RateLimitAlgorithm.TOKEN_BUCKET)
					? RateLimitPolicy.tokenBucket("a-" + algorithm.value(), 10, new RefillRate(10, Duration.ofHours(1)))
					: RateLimitPolicy.of("a-" + algorithm.value(), algorithm, 10, Duration.ofHours(1));
			limiter.updatePolicy(policy);
			String client = client();
			for (int i = 0; i < 10; i++) {
				RateLimitDecision decision = limiter.tryAcquire(policy.name(), client);
				assertThat(decision.outcome()).isEqualTo(RateLimitDecision.Outcome.ALLOWED);
				assertThat(decision.limits().get(0).remaining()).isEqualTo(9 - i);
			}
			RateLimitDecision rejected = limiter.tryAcquire(policy.name(), client);
			assertThat(rejected.outcome()).isEqualTo(RateLimitDecision.Outcome.REJECTED);
			assertThat(rejected.violatedPolicies()).containsExactly(policy.name());
			// a sliding-window counter still weighs this window's requests after it ends, so a client
			// that used the whole limit early in a window waits up to window * (1 + cost / limit)
			Duration longestWait = (algorithm == RateLimitAlgorithm.SLIDING_WINDOW_COUNTER)
					? Duration.ofHours(1).plus(Duration.ofHours(1).dividedBy(10)) : Duration.ofHours(1);
			assertThat(rejected.retryAfter()).isPositive().isLessThanOrEqualTo(longestWait);
			assertThat(rejected.limits().get(0).remaining()).isZero();
			String key = keys.tagged("rl", policy.name(), client);
			Long ttl = redis.getExpire(key);
			assertThat(ttl).as("TTL of %s", key).isPositive().isLessThanOrEqualTo(2 * 3600);
		});
	}

	@Test
	void slidingLogDoesNotGrowOnRejection() {
		run((limiter, redis, keys) -> {
			limiter.updatePolicy(RateLimitPolicy.slidingWindow("log-cap", 5, Duration.ofMinutes(10)));
			String client = client();
			for (int i = 0; i < 50; i++) {
				limiter.tryAcquire("log-cap", client);
			}
			assertThat(redis.opsForZSet().zCard(keys.tagged("rl", "log-cap", client))).isEqualTo(5);
		});
	}

	@Test
	void costTakesSeveralUnitsAndALargerCostThanTheLimitIsRefused() {
		run((limiter, redis, keys) -> {
			limiter.updatePolicy(RateLimitPolicy.gcra("cost", 10, Duration.ofHours(1)));
			String client = client();
			assertThat(limiter.tryAcquire("cost", client, 4).limits().get(0).remaining()).isEqualTo(6);
			assertThat(limiter.tryAcquire("cost", client, 6).isAllowed()).isTrue();
			assertThat(limiter.tryAcquire("cost", client, 1).isAllowed()).isFalse();
			// a cost that can never be admitted is a rejection (a 429 on the web), not an error, and charges nothing
			String fresh = client();
			RateLimitDecision tooLarge = limiter.tryAcquire("cost", fresh, 11);
			assertThat(tooLarge.outcome()).isEqualTo(RateLimitDecision.Outcome.REJECTED);
			assertThat(tooLarge.violatedPolicies()).containsExactly("cost");
			assertThat(limiter.tryAcquire("cost", fresh, 10).isAllowed()).isTrue();
		});
	}

	@Test
	void severalLimitsAreChargedAllOrNone() {
		run((limiter, redis, keys) -> {
			limiter.updatePolicy(RateLimitPolicy.slidingWindow("wide", 5, Duration.ofHours(1)));
			limiter.updatePolicy(RateLimitPolicy.tokenBucket("narrow", 3, RefillRate.parse("3/1h")));
			String client = client();
			List<RateLimitRequest> both = List.of(RateLimitRequest.of("wide", client), RateLimitRequest.of("narrow", client));
			for (int i = 0; i < 3; i++) {
				assertThat(limiter.tryAcquire(both).outcome()).isEqualTo(RateLimitDecision.Outcome.ALLOWED);
			}
			RateLimitDecision rejected = limiter.tryAcquire(both);
			assertThat(rejected.outcome()).isEqualTo(RateLimitDecision.Outcome.REJECTED);
			assertThat(rejected.violatedPolicies()).containsExactly("narrow");
			// "wide" was not charged for the refused request: 2 of 5 left
			assertThat(limiter.tryAcquire("wide", client).limits().get(0).remaining()).isEqualTo(1);
		});
	}

	@Test
	void missingKeyDeniesAllowsOrShares() {
		run((limiter, redis, keys) -> {
			limiter.updatePolicy(RateLimitPolicy.gcra("mk-deny", 5, Duration.ofHours(1)));
			limiter.updatePolicy(RateLimitPolicy.gcra("mk-allow", 1, Duration.ofHours(1)).withMissingKey(MissingKeyBehavior.ALLOW));
			limiter.updatePolicy(RateLimitPolicy.gcra("mk-shared", 2, Duration.ofHours(1)).withMissingKey(MissingKeyBehavior.SHARED));
			redis.delete(keys.namespace("rl", "mk-shared") + "{~shared}");
			assertThat(limiter.tryAcquire("mk-deny", null).outcome()).isEqualTo(RateLimitDecision.Outcome.REJECTED);
			assertThat(limiter.tryAcquire("mk-deny", "").outcome()).isEqualTo(RateLimitDecision.Outcome.REJECTED);
			for (int i = 0; i < 5; i++) {
				assertThat(limiter.tryAcquire("mk-allow", null).isAllowed()).isTrue();
			}
			assertThat(limiter.tryAcquire("mk-shared", null).isAllowed()).isTrue();
			assertThat(limiter.tryAcquire("mk-shared", " ").isAllowed()).isTrue();
			assertThat(limiter.tryAcquire("mk-shared", null).isAllowed()).isFalse();
		});
	}

	@Test
	void changingLimitsAtRuntimeKeepsTheCounters() {
		run((limiter, redis, keys) -> {
			String client = client();
			limiter.updatePolicy(RateLimitPolicy.fixedWindow("change-fixed", 10, Duration.ofHours(1)));
			limiter.updatePolicy(RateLimitPolicy.gcra("change-gcra", 10, Duration.ofHours(1)));
			limiter.updatePolicy(RateLimitPolicy.tokenBucket("change-bucket", 10, RefillRate.parse("10/1h")));
			for (String policy : List.of("change-fixed", "change-gcra", "change-bucket")) {
				for (int i = 0; i < 5; i++) {
					assertThat(limiter.tryAcquire(policy, client).isAllowed()).isTrue();
				}
			}
			limiter.updatePolicy(RateLimitPolicy.fixedWindow("change-fixed", 6, Duration.ofHours(2)));
			// GCRA: same 10 per hour but a burst of 6 now; the 5 units owed are kept
			limiter.updatePolicy(RateLimitPolicy.gcra("change-gcra", 6, Duration.ofMinutes(36)));
			// token bucket: the 5 tokens left are kept, not refilled to the new capacity
			limiter.updatePolicy(RateLimitPolicy.tokenBucket("change-bucket", 20, RefillRate.parse("1/6m")));
			for (String policy : List.of("change-fixed", "change-gcra")) {
				assertThat(limiter.tryAcquire(policy, client).isAllowed()).as(policy).isTrue();
				assertThat(limiter.tryAcquire(policy, client).isAllowed()).as(policy).isFalse();
			}
			for (int i = 0; i < 5; i++) {
				assertThat(limiter.tryAcquire("change-bucket", client).isAllowed()).isTrue();
			}
			assertThat(limiter.tryAcquire("change-bucket", client).isAllowed()).isFalse();
		});
	}

	@Test
	void windowsFromMillisecondsToDaysWork() {
		run((limiter, redis, keys) -> {
			limiter.updatePolicy(RateLimitPolicy.fixedWindow("ms", 2, Duration.ofMillis(50)));
			limiter.updatePolicy(RateLimitPolicy.slidingWindowCounter("days", 2, Duration.ofDays(30)));
			// a window starts with its first request: the whole limit in one request, then one more is
			// rejected unless the 50 ms window ended in between (a loaded machine); so wait for a try in
			// which both requests fell into one window
			AtomicReference<String> client = new AtomicReference<>();
			AtomicReference<RateLimitDecision> rejected = new AtomicReference<>();
			Awaitility.await("two requests within one 50 ms window").atMost(Duration.ofSeconds(30)).until(() -> {
				client.set(client());
				assertThat(limiter.tryAcquire("ms", client.get(), 2).isAllowed()).isTrue();
				rejected.set(limiter.tryAcquire("ms", client.get()));
				return !rejected.get().isAllowed();
			});
			assertThat(rejected.get().retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(50));
			// the next window admits again: first asked once the returned retry-after has passed
			Awaitility.await("the next 50 ms window")
				.pollDelay(rejected.get().retryAfter())
				.pollInterval(Duration.ofMillis(10))
				.atMost(Duration.ofSeconds(30))
				.until(() -> limiter.tryAcquire("ms", client.get()).isAllowed());
			assertThat(limiter.tryAcquire("days", client.get()).isAllowed()).isTrue();
			assertThat(limiter.tryAcquire("days", client.get()).isAllowed()).isTrue();
			RateLimitDecision days = limiter.tryAcquire("days", client.get());
			assertThat(days.isAllowed()).isFalse();
			assertThat(days.retryAfter()).isGreaterThan(Duration.ZERO).isLessThanOrEqualTo(Duration.ofDays(60));
			assertThat(redis.getExpire(keys.tagged("rl", "days", client.get()))).isLessThanOrEqualTo(60L * 86400);
		});
	}

	@Test
	void tokenBucketRefillsOverTime() {
		run((limiter, redis, keys) -> {
			limiter.updatePolicy(RateLimitPolicy.tokenBucket("refill", 5, RefillRate.parse("10/s")));
			String client = client();
			for (int i = 0; i < 5; i++) {
				assertThat(limiter.tryAcquire("refill", client).isAllowed()).isTrue();
			}
			// a slow machine may let a token come back during the five acquires: ask until the bucket refuses
			RateLimitDecision empty = limiter.tryAcquire("refill", client);
			for (int extra = 0; empty.isAllowed() && extra < 1_000; extra++) {
				empty = limiter.tryAcquire("refill", client);
			}
			assertThat(empty.isAllowed()).isFalse();
			assertThat(empty.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(100));
			// two tokens come back (one per 100 ms): first asked once the returned retry-after has passed;
			// a refused try charges nothing, so asking again does not delay the refill
			Awaitility.await("two tokens refilled")
				.pollDelay(empty.retryAfter())
				.pollInterval(Duration.ofMillis(20))
				.atMost(Duration.ofSeconds(30))
				.until(() -> limiter.tryAcquire("refill", client, 2).isAllowed());
		});
	}

	/**
	 * Runs the token bucket script directly and checks the stored state against the exact
	 * formula: f' = min(capacity x period, f + (now - t) x tokens) - cost x period.
	 */
	@ParameterizedTest
	@CsvSource({ "20, 5, 1000000, 1", "20, 5, 1000000, 3", "7, 3, 100000, 2", "100, 1, 3000000, 1", "10, 7, 60000000, 5",
			"1000, 333, 1000000, 17", "1000000000, 1000, 1, 1", "1000000000, 1000, 1, 1000000000",
			"1000000000, 50, 3, 999999937", "1000000000, 1, 1, 7" })
	void tokenBucketArithmeticIsExact(long capacity, long tokens, long periodMicros, long cost) {
		run((limiter, redis, keys) -> {
			LuaScript<long[]> script = new DecisionScripts().single(RateLimitAlgorithm.TOKEN_BUCKET);
			String key = keys.tagged("rl", "tb-exact", client());
			List<String> args = List.of("4", Long.toString(capacity), Long.toString(periodMicros), Long.toString(tokens),
					Long.toString(cost));
			long full = capacity * periodMicros;
			long f = full;
			Long t = null;
			for (int i = 0; i < 40; i++) {
				List<Long> result = DecisionTransport.toLongs(new LuaScriptRunner(redis.getRequiredConnectionFactory()).run(script, List.of(key), args.toArray()));
				long now = result.get(result.size() - 1);
				long refilled = (t == null) ? full : Math.min(full, f + (now - t) * tokens);
				boolean allowed = refilled >= cost * periodMicros;
				assertThat(result.get(0) == 1L).as("decision %d", i).isEqualTo(allowed);
				assertThat(result.get(2)).as("available %d", i).isEqualTo(refilled / periodMicros);
				if (allowed) {
					Map<Object, Object> state = redis.opsForHash().entries(key);
					if (state.isEmpty()) {
						// at high rates the bucket is full again within the key's TTL (whole milliseconds)
						f = full;
						t = null;
					}
					else {
						f = Long.parseLong((String) state.get("f"));
						t = Long.parseLong((String) state.get("t"));
						assertThat(f).isEqualTo(refilled - cost * periodMicros);
						assertThat(t).isEqualTo(now);
					}
				}
				else {
					long retry = result.get(4);
					assertThat(retry).isEqualTo(ceilDiv(cost * periodMicros - refilled, tokens));
				}
			}
		});
	}

	/**
	 * Runs the GCRA script directly with the exact emission interval P/Q microseconds (window /
	 * limit reduced): debt D = max(0, TAT - now) in units of 1/Q microsecond, admitted when
	 * D + cost x P <= limit x P. Includes 10^9 per second and per minute, and costs up to the limit.
	 */
	@ParameterizedTest
	@CsvSource({ "10, 1000000, 1", "3, 1000000, 1", "100, 60000000, 7", "5, 100000, 2", "7, 86400000000, 3",
			"1000000000, 1000000, 1", "1000000000, 1000000, 999999", "1000000000, 1000000, 1000000000",
			"1000000000, 60000000, 7", "1000000000, 60000000, 1000000000", "999999999, 1000000, 333333333" })
	void gcraArithmeticIsExact(long limit, long windowMicros, long cost) {
		run((limiter, redis, keys) -> {
			LuaScript<long[]> script = new DecisionScripts().single(RateLimitAlgorithm.GCRA);
			String key = keys.tagged("rl", "gcra-exact", client());
			long[] parameters = RateLimitPolicy.gcra("exact", limit, Duration.ofNanos(windowMicros * 1000))
				.withCost(cost)
				.scriptParameters();
			long p = parameters[1];
			long q = parameters[2];
			assertThat(BigInteger.valueOf(p).multiply(BigInteger.valueOf(limit)))
				.as("the interval is window / limit exactly")
				.isEqualTo(BigInteger.valueOf(q).multiply(BigInteger.valueOf(windowMicros)));
			List<String> args = List.of("5", Long.toString(limit), Long.toString(p), Long.toString(q),
					Long.toString(cost));
			long span = limit * p;
			Long tu = null;
			long tf = 0;
			for (int i = 0; i < 30; i++) {
				List<Long> result = DecisionTransport.toLongs(new LuaScriptRunner(redis.getRequiredConnectionFactory()).run(script, List.of(key), args.toArray()));
				long now = result.get(result.size() - 1);
				long debt = (tu == null || tu < now) ? 0 : Math.min(span, (tu - now) * q + tf);
				long newDebt = debt + cost * p;
				boolean allowed = newDebt <= span;
				assertThat(result.get(0) == 1L).as("decision %d", i).isEqualTo(allowed);
				assertThat(result.get(2)).as("available %d", i).isEqualTo((span - debt) / p);
				if (allowed) {
					assertThat(result.get(3)).as("reset %d", i).isEqualTo(ceilDiv(newDebt, q));
					Map<Object, Object> state = redis.opsForHash().entries(key);
					if (state.isEmpty()) {
						// at high rates the debt is repaid within the key's TTL (whole milliseconds)
						tu = null;
						tf = 0;
					}
					else {
						tu = Long.parseLong((String) state.get("t"));
						tf = Long.parseLong((String) state.get("f"));
						assertThat(tu).isEqualTo(now + newDebt / q);
						assertThat(tf).isEqualTo(newDebt % q);
					}
				}
				else {
					assertThat(result.get(4)).as("retry %d", i).isEqualTo(ceilDiv(newDebt - span, q));
				}
			}
		});
	}

	/**
	 * 10^9 units per second: a full burst of 10^9 is admitted in one request, then exactly 1,000
	 * units come back per microsecond (no rounding of the emission interval to 1 microsecond).
	 */
	@Test
	void gcraAtOneBillionPerSecondRefillsAThousandUnitsPerMicrosecond() {
		run((limiter, redis, keys) -> {
			LuaScript<long[]> script = new DecisionScripts().single(RateLimitAlgorithm.GCRA);
			String key = keys.tagged("rl", "gcra-billion", client());
			long[] parameters = RateLimitPolicy.gcra("billion", 1_000_000_000L, Duration.ofSeconds(1)).scriptParameters();
			assertThat(parameters).containsExactly(1_000_000_000L, 1L, 1000L);
			List<Long> burst = DecisionTransport.toLongs(new LuaScriptRunner(redis.getRequiredConnectionFactory()).run(script, List.of(key), "5", "1000000000", "1", "1000",
					"1000000000"));
			assertThat(burst.get(0)).isEqualTo(1L);
			List<Long> next = DecisionTransport.toLongs(new LuaScriptRunner(redis.getRequiredConnectionFactory()).run(script, List.of(key), "5", "1000000000", "1", "1000",
					"1000000000"));
			long elapsedMicros = next.get(next.size() - 1) - burst.get(burst.size() - 1);
			// (a machine that stalled a whole second between the two calls admits the second one too)
			assertThat(next.get(0)).isEqualTo((elapsedMicros >= 1_000_000) ? 1L : 0L);
			assertThat(next.get(2)).as("units back after %d us", elapsedMicros)
				.isEqualTo(Math.min(1_000_000_000L, elapsedMicros * 1000));
		});
	}

	/**
	 * Fires requests continuously over several windows and records the server time of each
	 * admission. For the sliding window (log), no interval of length {@code window} may hold more
	 * than {@code limit} admissions, also across window boundaries. The other window algorithms'
	 * worst case is reported.
	 */
	@Test
	void slidingWindowLogAdmitsNoMoreThanTheLimitInAnyInterval() {
		run((limiter, redis, keys) -> {
			long worst = worstInterval(RateLimitAlgorithm.SLIDING_WINDOW, redis, keys);
			assertThat(worst).isLessThanOrEqualTo(BOUNDARY_LIMIT);
			assertThat(worst).isEqualTo(BOUNDARY_LIMIT);
		});
	}

	/**
	 * The other window algorithms' documented bound: at most twice the limit in any interval of
	 * one window (fixed and counter windows each admit at most {@code limit} and an interval
	 * overlaps two of them; GCRA admits a full burst and then one unit per emission interval).
	 */
	@ParameterizedTest
	@EnumSource(value = RateLimitAlgorithm.class, names = { "SLIDING_WINDOW_COUNTER", "FIXED_WINDOW", "GCRA" })
	void otherWindowAlgorithmsAdmitAtMostTwiceTheLimitInAnyInterval(RateLimitAlgorithm algorithm) {
		run((limiter, redis, keys) -> {
			long worst = worstInterval(algorithm, redis, keys);
			assertThat(worst).isLessThanOrEqualTo(2 * BOUNDARY_LIMIT);
			assertThat(worst).as("the limit is reached").isGreaterThanOrEqualTo(BOUNDARY_LIMIT);
		});
	}

	private static final long BOUNDARY_LIMIT = 10;

	/**
	 * Requests back to back for 1.5 s (server clock) against a limit of 10 per 200 ms; returns the most admissions
	 * (timed by the server clock) in any 200 ms interval.
	 */
	private static long worstInterval(RateLimitAlgorithm algorithm, StringRedisTemplate redis, RedisKeys keys) {
		long limit = BOUNDARY_LIMIT;
		long windowMicros = 200_000;
		LuaScript<long[]> script = new DecisionScripts().single(algorithm);
		String key = keys.tagged("rl", "boundary", client());
		RateLimitPolicy policy = RateLimitPolicy.of("boundary", algorithm, limit, Duration.ofNanos(windowMicros * 1000));
		long[] p = policy.scriptParameters();
		List<String> args = List.of(Integer.toString(algorithm.code()), Long.toString(p[0]), Long.toString(p[1]),
				Long.toString(p[2]), "1");
		List<Long> admitted = new ArrayList<>();
		// back-to-back requests for 1.5 s of the server's clock (the one the decisions use)
		long first = -1;
		long now = 0;
		while (first < 0 || now - first < 1_500_000) {
			List<Long> result = DecisionTransport.toLongs(new LuaScriptRunner(redis.getRequiredConnectionFactory()).run(script, List.of(key), args.toArray()));
			now = result.get(result.size() - 1);
			first = (first < 0) ? now : first;
			if (result.get(0) == 1L) {
				admitted.add(now);
			}
		}
		long worst = 0;
		for (int i = 0; i < admitted.size(); i++) {
			long from = admitted.get(i);
			long count = admitted.stream().filter((at) -> at >= from && at < from + windowMicros).count();
			worst = Math.max(worst, count);
		}
		System.out.printf("[boundary] %s: %d admissions in 1.5 s, at most %d in any %d ms interval (limit %d)%n",
				algorithm.value(), admitted.size(), worst, windowMicros / 1000, limit);
		assertThat(admitted).isNotEmpty();
		return worst;
	}

	private static long ceilDiv(long a, long b) {
		return -Math.floorDiv(-a, b);
	}

}
