package io.redispatterns.ratelimit;

import io.redispatterns.core.RedisPatternsException;

/**
 * Thrown when a rate limit refuses a call: by the MVC interceptor for an {@code @RateLimited}
 * handler or a configured path (rendered as 429 with a problem body and headers unless the
 * application's own {@code @ExceptionHandler} takes over), and by the method interceptor for
 * {@code @RateLimited} bean methods.
 */
public class RateLimitExceededException extends RedisPatternsException {

	/** The decision that refused the call. */
	private final transient RateLimitDecision decision;

	/**
	 * Creates an exception.
	 * @param decision the refusing decision
	 */
	public RateLimitExceededException(RateLimitDecision decision) {
		super("Rate limit exceeded: " + String.join(", ", decision.violatedPolicies()) + " (retry after "
				+ decision.retryAfter().toMillis() + " ms)");
		this.decision = decision;
	}

	/**
	 * Returns the decision: violated policies, remaining units and waits.
	 * @return the decision
	 */
	public RateLimitDecision getDecision() {
		return this.decision;
	}

}
