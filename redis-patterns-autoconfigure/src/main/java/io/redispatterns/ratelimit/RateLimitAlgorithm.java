package io.redispatterns.ratelimit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The algorithms a policy can use. Each is one Lua script that decides in one round trip on
 * the Redis server's clock ({@code TIME}, microseconds).
 */
public enum RateLimitAlgorithm {

	/**
	 * {@code fixed-window}: at most {@code limit} units per window; a window starts with the first
	 * request after the previous one ended. One hash key. Up to twice the limit can pass around a
	 * window's end.
	 */
	FIXED_WINDOW("fixed-window", 1),

	/**
	 * {@code sliding-window}: the sliding window log. Exact: no interval of length {@code window}
	 * ever admits more than {@code limit} units. One sorted set holding at most {@code limit}
	 * entries (rejections are not recorded).
	 */
	SLIDING_WINDOW("sliding-window", 2),

	/**
	 * {@code sliding-window-counter}: two fixed buckets, the previous one weighted by how much of it
	 * is still inside the sliding window. O(1) memory; an estimate that assumes the previous
	 * window's requests were spread evenly, so bursts at a boundary can pass slightly more than
	 * {@code limit} within one sliding window.
	 */
	SLIDING_WINDOW_COUNTER("sliding-window-counter", 3),

	/**
	 * {@code token-bucket}: a bucket of {@code capacity} tokens refilled at {@code refill-rate};
	 * each request takes {@code cost} tokens. Fractional refill is exact (integer arithmetic).
	 */
	TOKEN_BUCKET("token-bucket", 4),

	/**
	 * {@code gcra}: the generic cell rate algorithm, the default. {@code limit} units per
	 * {@code window} with bursts of up to {@code limit}, one key holding one timestamp. The
	 * emission interval {@code window / limit} is exact (a fraction of a microsecond where needed;
	 * rates of 10^9 per second and more are supported).
	 */
	GCRA("gcra", 5);

	private final String value;

	private final int code;

	RateLimitAlgorithm(String value, int code) {
		this.value = value;
		this.code = code;
	}

	/**
	 * Returns the name used in configuration, such as {@code sliding-window}.
	 * @return the configuration value
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Returns the number that selects this algorithm in the rate-limit scripts.
	 * @return the script code
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Finds an algorithm by its configuration value (case-insensitive).
	 * @param value such as {@code token-bucket}
	 * @return the algorithm, or {@code null} when the value names none
	 */
	public static @Nullable RateLimitAlgorithm fromValue(String value) {
		String normalized = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (RateLimitAlgorithm algorithm : values()) {
			if (algorithm.value.equals(normalized)) {
				return algorithm;
			}
		}
		return null;
	}

	/**
	 * Lists the configuration values, for error messages.
	 * @return such as {@code fixed-window, sliding-window, ...}
	 */
	public static String allowedValues() {
		return Arrays.stream(values()).map(RateLimitAlgorithm::value).collect(Collectors.joining(", "));
	}

}
