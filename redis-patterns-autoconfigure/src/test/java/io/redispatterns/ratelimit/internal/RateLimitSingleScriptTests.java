package io.redispatterns.ratelimit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import io.lettuce.core.ScriptOutputType;
import io.redispatterns.ratelimit.RateLimitAlgorithm;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RefillRate;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flattened one-limit scripts ({@code <algorithm>_one.lua}) against the composed ones
 * ({@code prelude.lua} + the algorithm + {@code decide.lua}) on the same random requests: random
 * policies (up to 10^9 per second and per minute, changed on the same key now and then), costs up
 * to the limit and beyond, check-only calls and random server times, including repeated and
 * slightly earlier ones. Each step runs both scripts on their own key with the same arguments and
 * the same time, and requires the same reply, the same hash and the same TTL.
 * <p>
 * To make both exactly comparable the test rewrites the scripts' text in one place each: the
 * server time is read from two extra arguments instead of {@code TIME}, and a TTL is recorded in a
 * hash next to the key ({@code HSET key~ttl ms <ttl>}) instead of set with {@code PEXPIRE}: no key
 * expires on the real clock while the test runs, and every TTL a script gives is compared exactly.
 */
@WithRedis
class RateLimitSingleScriptTests {

	private static final int STEPS = 400;

	private static final long[] WINDOWS = { 1_000, 100_000, 1_000_000, 60_000_000, 3_600_000_000L, 86_400_000_000L };

	private static final long[] LIMITS = { 1, 3, 10, 100, 1_000, 1_000_000, 1_000_000_000 };

	@ParameterizedTest
	@EnumSource(value = RateLimitAlgorithm.class, names = { "FIXED_WINDOW", "SLIDING_WINDOW_COUNTER", "TOKEN_BUCKET",
			"GCRA" })
	void theFlattenedScriptDecidesAndWritesExactlyLikeTheComposedOne(RateLimitAlgorithm algorithm,
			StandaloneRedis redis) {
		DecisionScripts scripts = new DecisionScripts();
		assertThat(scripts.single(algorithm).text()).isNotEqualTo(scripts.composed(algorithm).text());
		String flat = withTestClock(scripts.single(algorithm).text());
		String composed = withTestClock(scripts.composed(algorithm).text());
		long seed = System.nanoTime();
		Random random = new Random(seed);
		String flatKey = "{rl-one}:" + algorithm.value() + ":" + seed + ":flat";
		String composedKey = "{rl-one}:" + algorithm.value() + ":" + seed + ":composed";
		Coverage coverage = new Coverage();
		redis.node().commands((commands) -> {
			RateLimitPolicy policy = randomPolicy(algorithm, random);
			long now = 1_700_000_000_000_000L + random.nextInt(1_000_000_000);
			for (int step = 0; step < STEPS; step++) {
				if (random.nextInt(40) == 0) {
					policy = randomPolicy(algorithm, random);
				}
				now += randomStep(policy, random);
				long cost = randomCost(policy, random);
				boolean checkOnly = random.nextInt(8) == 0;
				List<String> args = new ArrayList<>();
				for (byte[] constant : DecisionCodec.constants(policy)) {
					args.add(new String(constant, StandardCharsets.UTF_8));
				}
				args.add(Long.toString(cost));
				args.add(checkOnly ? "1" : "0");
				args.add(Long.toString(now / 1_000_000));
				args.add(Long.toString(now % 1_000_000));
				String[] argv = args.toArray(String[]::new);
				String context = String.format("seed %d, step %d, %s, cost %d, check-only %s, now %d", seed, step,
						policy.describeLimits(), cost, checkOnly, now);
				List<Object> fromFlat = commands.eval(flat, ScriptOutputType.MULTI, new String[] { flatKey }, argv);
				List<Object> fromComposed = commands.eval(composed, ScriptOutputType.MULTI,
						new String[] { composedKey }, argv);
				assertThat(fromFlat).as("reply, %s", context).isEqualTo(fromComposed);
				assertThat(commands.hgetall(flatKey)).as("state, %s", context)
					.isEqualTo(commands.hgetall(composedKey));
				Map<String, String> ttl = commands.hgetall(flatKey + "~ttl");
				assertThat(ttl).as("TTL, %s", context).isEqualTo(commands.hgetall(composedKey + "~ttl"));
				coverage.record(fromFlat, checkOnly, ttl);
			}
			commands.del(flatKey, composedKey, flatKey + "~ttl", composedKey + "~ttl");
		});
		// the sequence took every path that matters
		assertThat(coverage.allowed).as("allowed, seed %d", seed).isPositive();
		assertThat(coverage.rejected).as("rejected, seed %d", seed).isPositive();
		assertThat(coverage.checkOnly).as("check-only, seed %d", seed).isPositive();
		assertThat(coverage.ttls).as("TTLs given, seed %d", seed).isGreaterThan(1);
	}

	/**
	 * The flattened scripts compare a stored policy parameter with its argument as a string first;
	 * a number spelled differently (another Redis version's number formatting, a hand-written
	 * state) must still count as the same parameter, as it does for the composed scripts.
	 */
	@ParameterizedTest
	@EnumSource(value = RateLimitAlgorithm.class, names = { "FIXED_WINDOW", "SLIDING_WINDOW_COUNTER", "TOKEN_BUCKET",
			"GCRA" })
	void aStoredParameterSpelledDifferentlyDecidesLikeTheComposedScript(RateLimitAlgorithm algorithm,
			StandaloneRedis redis) {
		DecisionScripts scripts = new DecisionScripts();
		String flat = withTestClock(scripts.single(algorithm).text());
		String composed = withTestClock(scripts.composed(algorithm).text());
		// 10^6 per 3 s: GCRA's emission interval is 3/1 us, the token bucket's refill period 3 us
		RateLimitPolicy policy = (algorithm == RateLimitAlgorithm.TOKEN_BUCKET)
				? RateLimitPolicy.tokenBucket("one", 1_000_000, new RefillRate(1_000_000, Duration.ofSeconds(3)))
				: RateLimitPolicy.of("one", algorithm, 1_000_000, Duration.ofSeconds(3));
		long now = 1_700_000_000_000_000L;
		String expiry = Long.toString(now / 1000 + 60_000);
		Map<String, String> state = switch (algorithm) {
			case GCRA -> Map.of("t", Long.toString(now + 10), "f", "0", "i", "3.0", "q", "1e0", "e", expiry);
			case TOKEN_BUCKET -> Map.of("f", "2999994", "t", Long.toString(now - 1), "q", "3.0", "e", expiry);
			case FIXED_WINDOW -> Map.of("s", Long.toString(now - 10), "c", "7", "l", "3e6");
			default -> Map.of("w", Long.toString(now / 3_000_000), "c", "7", "p", "5", "l", "3e6");
		};
		List<String> args = new ArrayList<>();
		for (byte[] constant : DecisionCodec.constants(policy)) {
			args.add(new String(constant, StandardCharsets.UTF_8));
		}
		args.addAll(List.of("2", "0", Long.toString(now / 1_000_000), Long.toString(now % 1_000_000)));
		String[] argv = args.toArray(String[]::new);
		redis.node().commands((commands) -> {
			String flatKey = "{rl-one}:spelled:" + algorithm.value() + ":flat";
			String composedKey = "{rl-one}:spelled:" + algorithm.value() + ":composed";
			commands.hset(flatKey, state);
			commands.hset(composedKey, state);
			List<Object> fromFlat = commands.eval(flat, ScriptOutputType.MULTI, new String[] { flatKey }, argv);
			List<Object> fromComposed = commands.eval(composed, ScriptOutputType.MULTI, new String[] { composedKey },
					argv);
			assertThat(fromFlat).isEqualTo(fromComposed);
			assertThat(commands.hgetall(flatKey)).isEqualTo(commands.hgetall(composedKey));
			assertThat(commands.hgetall(flatKey + "~ttl")).isEqualTo(commands.hgetall(composedKey + "~ttl"));
			commands.del(flatKey, composedKey, flatKey + "~ttl", composedKey + "~ttl");
		});
	}

	/** Reads the time from ARGV[7] and ARGV[8] and records TTLs in a hash instead of setting them. */
	private static String withTestClock(String script) {
		String time = "redis.call('TIME')";
		String expire = "redis.call('PEXPIRE', key, ";
		assertThat(script.split(Pattern.quote(time), -1)).as("TIME calls").hasSize(2);
		assertThat(script).contains(expire);
		return script.replace(time, "{ ARGV[7], ARGV[8] }")
			.replace(expire, "redis.call('HSET', key .. '~ttl', 'ms', ");
	}

	private static RateLimitPolicy randomPolicy(RateLimitAlgorithm algorithm, Random random) {
		while (true) {
			long limit = LIMITS[random.nextInt(LIMITS.length)];
			long window = random.nextBoolean() ? WINDOWS[random.nextInt(WINDOWS.length)]
					: 1 + random.nextInt(600_000_000);
			if (random.nextInt(4) == 0) {
				limit = 1 + random.nextInt(100_000);
			}
			try {
				if (algorithm == RateLimitAlgorithm.TOKEN_BUCKET) {
					long tokens = random.nextBoolean() ? limit : 1 + random.nextInt(1_000);
					return RateLimitPolicy.tokenBucket("one", limit,
							new RefillRate(tokens, Duration.ofNanos(window * 1_000)));
				}
				return RateLimitPolicy.of("one", algorithm, limit, Duration.ofNanos(window * 1_000));
			}
			catch (RuntimeException ex) {
				// outside what a policy accepts (such as limit x interval too large for exact integers): draw again
			}
		}
	}

	/** Microseconds to the next request: the same instant, a little, about a unit's time, a window, or back. */
	private static long randomStep(RateLimitPolicy policy, Random random) {
		long window = Math.max(1, policy.windowMicros());
		long unit = Math.max(1, window / policy.limit());
		return switch (random.nextInt(10)) {
			case 0 -> 0;
			case 1 -> -random.nextInt(1_000);
			case 2, 3 -> random.nextInt(1_000);
			case 4, 5, 6 -> (long) (random.nextDouble() * unit * 4);
			case 7, 8 -> (long) (random.nextDouble() * window);
			default -> (long) (random.nextDouble() * window * 3);
		};
	}

	private static long randomCost(RateLimitPolicy policy, Random random) {
		long limit = policy.limit();
		return switch (random.nextInt(8)) {
			case 0, 1, 2, 3 -> 1;
			case 4 -> limit;
			case 5 -> limit + 1;
			default -> 1 + (long) (random.nextDouble() * limit);
		};
	}

	/** Which paths a sequence took. */
	private static final class Coverage {

		int allowed;

		int rejected;

		int checkOnly;

		int ttls;

		private @Nullable String lastTtl;

		void record(List<Object> reply, boolean checkOnly, Map<String, String> ttl) {
			if (((Long) reply.get(0)) == 1L) {
				this.allowed++;
			}
			else {
				this.rejected++;
			}
			if (checkOnly) {
				this.checkOnly++;
			}
			String ms = ttl.get("ms");
			if (ms != null && !ms.equals(this.lastTtl)) {
				this.ttls++;
			}
			this.lastTtl = ms;
		}

	}

}
