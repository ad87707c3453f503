package io.redispatterns.ratelimit;

/**
 * Receives what the rate limiter measures. The Micrometer implementation records
 * {@code redis.patterns.ratelimit.decisions{policy,result}},
 * {@code redis.patterns.ratelimit.latency{policy,result}} and
 * {@code redis.patterns.ratelimit.failures{reason}}; {@link #NONE} is used without Micrometer.
 * Tags never hold a client key or IP.
 */
public interface RateLimitMetrics {

	/** Records nothing. */
	RateLimitMetrics NONE = new RateLimitMetrics() {
	};

	/**
	 * Called at start-up for every policy configured then (and for a policy added at runtime), so that its
	 * meters exist at zero before the first decision and dashboards and alerts work from the start.
	 * @param policy the policy's name
	 */
	default void register(String policy) {
	}

	/**
	 * Counts one policy's part in a decision.
	 * @param policy the policy's name
	 * @param result {@code allowed}, {@code rejected} or {@code degraded}
	 */
	default void decision(String policy, String result) {
	}

	/**
	 * Records how long a decision took.
	 * @param policy the first policy of the decision
	 * @param result {@code allowed}, {@code rejected} or {@code degraded}
	 * @param nanos the duration
	 */
	default void latency(String policy, String result, long nanos) {
	}

	/**
	 * Counts a failure to reach Redis.
	 * @param reason {@code error}, {@code timeout} or {@code circuit-open}
	 */
	default void failure(String reason) {
	}

}
