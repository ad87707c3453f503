package io.redispatterns.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A named rate limit: its algorithm and limits, how the client key is found, and what happens
 * when the key is missing or Redis is down. Immutable; change a running policy with
 * {@link RateLimiter#updatePolicy(RateLimitPolicy)} (counters are kept).
 * <p>
 * Build one with {@link #gcra}, {@link #fixedWindow}, {@link #slidingWindow},
 * {@link #slidingWindowCounter} or {@link #tokenBucket}, then the {@code withXxx} methods.
 *
 * @param name the policy's name (appears in keys, headers, metrics and problem bodies)
 * @param algorithm the algorithm
 * @param limit units per window; for {@link RateLimitAlgorithm#TOKEN_BUCKET} the capacity
 * @param window the window; {@code null} for the token bucket
 * @param refillRate the token bucket's refill rate; {@code null} for the other algorithms
 * @param cost units one request takes by default
 * @param key how the client key is resolved from a request ({@code ip}, {@code principal},
 * {@code header:<name>}, {@code bean:<name>}, {@code global}, or a SpEL expression starting with
 * {@code #} or written {@code spel:<expression>})
 * @param missingKey what happens when the key is missing or empty
 * @param failureMode what happens when Redis fails or is known to be down
 * @param paths URL patterns ({@code PathPattern} syntax) the policy applies to without an annotation
 * @param methods HTTP methods that {@code paths} are limited to; empty means all
 */
public record RateLimitPolicy(String name, RateLimitAlgorithm algorithm, long limit, @Nullable Duration window,
		@Nullable RefillRate refillRate, long cost, String key, MissingKeyBehavior missingKey, FailureMode failureMode,
		List<String> paths, List<String> methods) {

	/**
	 * Largest limit or capacity accepted. Token bucket and GCRA also need the limit times the
	 * reduced period (see {@link #problem}) below 2^53, so that the scripts compute exactly.
	 */
	public static final long MAX_LIMIT = 1_000_000_000L;

	/**
	 * Largest limit accepted for {@link RateLimitAlgorithm#SLIDING_WINDOW}: its log holds one
	 * sorted-set entry per admitted unit, so the limit caps its memory per client key. Use
	 * {@link RateLimitAlgorithm#SLIDING_WINDOW_COUNTER} or {@link RateLimitAlgorithm#GCRA} (O(1)
	 * memory) for larger limits.
	 */
	public static final long MAX_SLIDING_WINDOW_LIMIT = 10_000L;

	/** Longest window or refill period accepted. */
	public static final Duration MAX_WINDOW = Duration.ofDays(366);

	private static final long MAX_EXACT = 1L << 53;

	/**
	 * Validates the policy.
	 * @param name the policy's name
	 * @param algorithm the algorithm
	 * @param limit units per window, or the token bucket's capacity
	 * @param window the window; {@code null} for the token bucket
	 * @param refillRate the token bucket's refill rate
	 * @param cost units one request takes by default
	 * @param key the key specification
	 * @param missingKey what happens when the key is missing
	 * @param failureMode what happens when Redis fails
	 * @param paths URL patterns the policy applies to
	 * @param methods HTTP methods of {@code paths}
	 * @throws IllegalArgumentException naming the attribute that is out of range
	 */
	public RateLimitPolicy {
		if (name.isBlank()) {
			throw new IllegalArgumentException("name: must not be blank");
		}
		paths = List.copyOf(paths);
		methods = methods.stream().map((method) -> method.trim().toUpperCase(Locale.ROOT)).toList();
		String problem = problem(algorithm, limit, window, refillRate, cost);
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
	}

	/**
	 * Checks the numbers of a policy without building it.
	 * @param algorithm the algorithm
	 * @param limit the limit or capacity
	 * @param window the window (all but the token bucket)
	 * @param refillRate the refill rate (token bucket)
	 * @param cost the default cost
	 * @return {@code "<attribute>: <what is wrong>"}, or {@code null} when the numbers are usable
	 */
	public static @Nullable String problem(RateLimitAlgorithm algorithm, long limit, @Nullable Duration window,
			@Nullable RefillRate refillRate, long cost) {
		String limitName = (algorithm == RateLimitAlgorithm.TOKEN_BUCKET) ? "capacity" : "limit";
		if (limit <= 0 || limit > MAX_LIMIT) {
			return limitName + ": must be between 1 and " + MAX_LIMIT;
		}
		if (algorithm == RateLimitAlgorithm.SLIDING_WINDOW && limit > MAX_SLIDING_WINDOW_LIMIT) {
			return "limit: must be between 1 and " + MAX_SLIDING_WINDOW_LIMIT
					+ " for sliding-window (its log keeps one entry per admitted unit); use sliding-window-counter"
					+ " or gcra for larger limits";
		}
		if (cost <= 0 || cost > limit) {
			return "cost: must be between 1 and the " + limitName + " (" + limit + ")";
		}
		if (algorithm == RateLimitAlgorithm.TOKEN_BUCKET) {
			if (refillRate == null) {
				return "refill-rate: required for the token bucket, such as 5/s";
			}
			if (refillRate.period().compareTo(MAX_WINDOW) > 0) {
				return "refill-rate: period must be at most 366 days";
			}
			long[] rate = reduced(refillRate.tokens(), refillRate.periodMicros());
			if (Math.multiplyHigh(limit, rate[1]) != 0 || limit * rate[1] + rate[0] >= MAX_EXACT) {
				return "refill-rate: capacity x (refill period in microseconds / gcd(tokens, period)) must stay below"
						+ " 2^53 for exact arithmetic; use a rate whose tokens divide the period better, such as "
						+ "a whole number per second";
			}
			return null;
		}
		if (window == null || window.toNanos() < 1_000_000) {
			return "window: must be at least 1ms";
		}
		if (window.compareTo(MAX_WINDOW) > 0) {
			return "window: must be at most 366 days";
		}
		if (algorithm == RateLimitAlgorithm.GCRA) {
			long interval = reduced(limit, window.toNanos() / 1000)[1];
			if (Math.multiplyHigh(limit, interval) != 0 || limit * interval >= MAX_EXACT) {
				return "window: limit x (window in microseconds / gcd(limit, window)) must stay below 2^53 for"
						+ " exact arithmetic; use a limit that divides the window better, such as a whole number per"
						+ " second";
			}
		}
		return null;
	}

	/** {@code units / micros} as a reduced fraction {@code {units', micros'}}. */
	private static long[] reduced(long units, long micros) {
		long a = units;
		long b = micros;
		while (b != 0) {
			long r = a % b;
			a = b;
			b = r;
		}
		return new long[] { units / a, micros / a };
	}

	/**
	 * Creates a GCRA policy (the default algorithm): {@code limit} units per {@code window}.
	 * @param name the policy name
	 * @param limit units per window
	 * @param window the window
	 * @return the policy, keyed by client IP, {@code missing-key: deny}, {@code fail-open}
	 */
	public static RateLimitPolicy gcra(String name, long limit, Duration window) {
		return of(name, RateLimitAlgorithm.GCRA, limit, window);
	}

	/**
	 * Creates a fixed-window policy.
	 * @param name the policy name
	 * @param limit units per window
	 * @param window the window
	 * @return the policy
	 */
	public static RateLimitPolicy fixedWindow(String name, long limit, Duration window) {
		return of(name, RateLimitAlgorithm.FIXED_WINDOW, limit, window);
	}

	/**
	 * Creates a sliding-window (log) policy.
	 * @param name the policy name
	 * @param limit units per sliding window
	 * @param window the window
	 * @return the policy
	 */
	public static RateLimitPolicy slidingWindow(String name, long limit, Duration window) {
		return of(name, RateLimitAlgorithm.SLIDING_WINDOW, limit, window);
	}

	/**
	 * Creates a sliding-window-counter policy.
	 * @param name the policy name
	 * @param limit units per sliding window (estimated)
	 * @param window the window
	 * @return the policy
	 */
	public static RateLimitPolicy slidingWindowCounter(String name, long limit, Duration window) {
		return of(name, RateLimitAlgorithm.SLIDING_WINDOW_COUNTER, limit, window);
	}

	/**
	 * Creates a token-bucket policy.
	 * @param name the policy name
	 * @param capacity bucket size (the largest burst)
	 * @param refillRate tokens added per period
	 * @return the policy
	 */
	public static RateLimitPolicy tokenBucket(String name, long capacity, RefillRate refillRate) {
		return new RateLimitPolicy(name, RateLimitAlgorithm.TOKEN_BUCKET, capacity, null, refillRate, 1, "ip",
				MissingKeyBehavior.DENY, FailureMode.FAIL_OPEN, List.of(), List.of());
	}

	/**
	 * Creates a window-based policy.
	 * @param name the policy name
	 * @param algorithm any algorithm but the token bucket
	 * @param limit units per window
	 * @param window the window
	 * @return the policy
	 */
	public static RateLimitPolicy of(String name, RateLimitAlgorithm algorithm, long limit, Duration window) {
		return new RateLimitPolicy(name, algorithm, limit, window, null, 1, "ip", MissingKeyBehavior.DENY,
				FailureMode.FAIL_OPEN, List.of(), List.of());
	}

	/**
	 * Returns a copy with another limit (the capacity for a token bucket).
	 * @param limit the new limit
	 * @return the copy
	 */
	public RateLimitPolicy withLimit(long limit) {
		return new RateLimitPolicy(this.name, this.algorithm, limit, this.window, this.refillRate,
				Math.min(this.cost, limit), this.key, this.missingKey, this.failureMode, this.paths, this.methods);
	}

	/**
	 * Returns a copy with another window.
	 * @param window the new window
	 * @return the copy
	 */
	public RateLimitPolicy withWindow(Duration window) {
		return new RateLimitPolicy(this.name, this.algorithm, this.limit, window, this.refillRate, this.cost, this.key,
				this.missingKey, this.failureMode, this.paths, this.methods);
	}

	/**
	 * Returns a copy with another refill rate.
	 * @param refillRate the new rate
	 * @return the copy
	 */
	public RateLimitPolicy withRefillRate(RefillRate refillRate) {
		return new RateLimitPolicy(this.name, this.algorithm, this.limit, this.window, refillRate, this.cost, this.key,
				this.missingKey, this.failureMode, this.paths, this.methods);
	}

	/**
	 * Returns a copy with another default cost per request.
	 * @param cost the new cost
	 * @return the copy
	 */
	public RateLimitPolicy withCost(long cost) {
		return new RateLimitPolicy(this.name, this.algorithm, this.limit, this.window, this.refillRate, cost, this.key,
				this.missingKey, this.failureMode, this.paths, this.methods);
	}

	/**
	 * Returns a copy with another key specification.
	 * @param key such as {@code header:X-Api-Key}
	 * @return the copy
	 */
	public RateLimitPolicy withKey(String key) {
		return new RateLimitPolicy(this.name, this.algorithm, this.limit, this.window, this.refillRate, this.cost, key,
				this.missingKey, this.failureMode, this.paths, this.methods);
	}

	/**
	 * Returns a copy with another missing-key behaviour.
	 * @param missingKey the behaviour
	 * @return the copy
	 */
	public RateLimitPolicy withMissingKey(MissingKeyBehavior missingKey) {
		return new RateLimitPolicy(this.name, this.algorithm, this.limit, this.window, this.refillRate, this.cost,
				this.key, missingKey, this.failureMode, this.paths, this.methods);
	}

	/**
	 * Returns a copy with another failure mode.
	 * @param failureMode the mode
	 * @return the copy
	 */
	public RateLimitPolicy withFailureMode(FailureMode failureMode) {
		return new RateLimitPolicy(this.name, this.algorithm, this.limit, this.window, this.refillRate, this.cost,
				this.key, this.missingKey, failureMode, this.paths, this.methods);
	}

	/**
	 * Returns a copy applied to URL patterns without an annotation.
	 * @param paths {@code PathPattern}s such as {@code /api/**}
	 * @param methods HTTP methods; empty for all
	 * @return the copy
	 */
	public RateLimitPolicy withPaths(List<String> paths, List<String> methods) {
		return new RateLimitPolicy(this.name, this.algorithm, this.limit, this.window, this.refillRate, this.cost,
				this.key, this.missingKey, this.failureMode, paths, methods);
	}

	/**
	 * Returns the length of the window in whole seconds (rounded up), as the {@code w} parameter of
	 * the {@code RateLimit-Policy} header: the window, or for a token bucket the time to refill
	 * it from empty.
	 * @return seconds, at least 1
	 */
	public long windowSeconds() {
		long micros = windowMicros();
		return Math.max(1, (micros + 999_999) / 1_000_000);
	}

	/**
	 * Returns the window in microseconds; for a token bucket, the time to refill it from empty.
	 * @return microseconds, {@code 0} when the policy has no window
	 */
	public long windowMicros() {
		if (this.algorithm == RateLimitAlgorithm.TOKEN_BUCKET && this.refillRate != null) {
			long[] rate = reduced(this.refillRate.tokens(), this.refillRate.periodMicros());
			return ceilDiv(this.limit * rate[1], rate[0]);
		}
		return (this.window != null) ? this.window.toNanos() / 1000 : 0;
	}

	/**
	 * The script arguments A, B, C for this policy. Rates are passed as reduced fractions, so
	 * that the scripts compute exactly in integers: the token bucket's C tokens per B
	 * microseconds, GCRA's emission interval B/C microseconds.
	 * @return the three script arguments
	 */
	public long[] scriptParameters() {
		long windowMicros = (this.window != null) ? this.window.toNanos() / 1000 : 0;
		return switch (this.algorithm) {
			case FIXED_WINDOW, SLIDING_WINDOW, SLIDING_WINDOW_COUNTER -> new long[] { this.limit, windowMicros, 0 };
			case TOKEN_BUCKET -> {
				// validated on construction: a token bucket has a refill rate
				RefillRate refill = Objects.requireNonNull(this.refillRate);
				long[] rate = reduced(refill.tokens(), refill.periodMicros());
				yield new long[] { this.limit, rate[1], rate[0] };
			}
			case GCRA -> {
				long[] rate = reduced(this.limit, windowMicros);
				yield new long[] { this.limit, rate[1], rate[0] };
			}
		};
	}

	/**
	 * Describes the limits, such as {@code 100 per 1m} or {@code capacity 20, refill 5/1s}.
	 * @return the description
	 */
	public String describeLimits() {
		if (this.algorithm == RateLimitAlgorithm.TOKEN_BUCKET) {
			return "capacity " + this.limit + ", refill " + this.refillRate;
		}
		return this.limit + " per " + format(this.window);
	}

	/**
	 * Formats a duration in its largest exact unit: {@code 1m}, {@code 90s}, {@code 1d}, {@code 250ms}.
	 * @param duration the duration
	 * @return the text, parseable as a Spring Boot duration
	 */
	public static String format(@Nullable Duration duration) {
		if (duration == null) {
			return "";
		}
		long nanos = duration.toNanos();
		long[] units = { 86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L };
		String[] names = { "d", "h", "m", "s", "ms", "us" };
		for (int i = 0; i < units.length; i++) {
			if (nanos != 0 && nanos % units[i] == 0) {
				return (nanos / units[i]) + names[i];
			}
		}
		return nanos + "ns";
	}

	private static long ceilDiv(long a, long b) {
		return -Math.floorDiv(-a, b);
	}

}
