package io.redispatterns.ratelimit;

import org.jspecify.annotations.Nullable;

/**
 * One limit to check as part of a decision: a policy, the client key, and the units to take.
 *
 * @param policy the policy's name
 * @param key the client key (escaped into the Redis key); {@code null} or empty applies the
 * policy's {@link MissingKeyBehavior}
 * @param cost units to take; {@code 0} or less means the policy's default cost
 */
public record RateLimitRequest(String policy, @Nullable String key, long cost) {

	/**
	 * Creates a request with the policy's default cost.
	 * @param policy the policy's name
	 * @param key the client key
	 * @return the request
	 */
	public static RateLimitRequest of(String policy, @Nullable String key) {
		return new RateLimitRequest(policy, key, 0);
	}

}
