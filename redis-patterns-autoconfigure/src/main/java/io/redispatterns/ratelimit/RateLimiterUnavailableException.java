package io.redispatterns.ratelimit;

import io.redispatterns.core.RedisUnavailableException;

/**
 * Thrown when Redis cannot decide (error, timeout, circuit breaker open) and a policy involved is
 * {@code fail-closed}. The guarded call did not run, so it is safe to retry: a
 * {@link RedisUnavailableException} (a decision that timed out may still have charged the
 * client's counter). Rendered as 503 with a problem body.
 */
public class RateLimiterUnavailableException extends RedisUnavailableException {

	/** The decision that refused the call. */
	private final transient RateLimitDecision decision;

	/**
	 * Creates an exception.
	 * @param decision the {@link RateLimitDecision.Outcome#UNAVAILABLE} decision
	 */
	public RateLimiterUnavailableException(RateLimitDecision decision) {
		super("Rate limiter unavailable for " + decision.limits().stream().map(RateLimitDecision.Limit::policyName).toList());
		this.decision = decision;
	}

	/**
	 * Returns the decision.
	 * @return the decision
	 */
	public RateLimitDecision getDecision() {
		return this.decision;
	}

}
