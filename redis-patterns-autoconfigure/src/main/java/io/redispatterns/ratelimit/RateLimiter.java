package io.redispatterns.ratelimit;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Programmatic rate limiting, for code that is not an endpoint. Each call is one round trip
 * to Redis; several limits in one call are charged all or none.
 *
 * <pre class="code">
 * RateLimitDecision decision = rateLimiter.tryAcquire("exports", tenantId);
 * if (!decision.isAllowed()) {
 *     throw new RateLimitExceededException(decision);
 * }
 * </pre>
 */
public interface RateLimiter {

	/**
	 * Takes the policy's default cost from the client's quota.
	 * @param policy the policy's name
	 * @param key the client key
	 * @return the decision
	 * @throws IllegalArgumentException when no policy has that name
	 */
	default RateLimitDecision tryAcquire(String policy, @Nullable String key) {
		return tryAcquire(policy, key, 0);
	}

	/**
	 * Takes {@code cost} units from the client's quota.
	 * @param policy the policy's name
	 * @param key the client key
	 * @param cost units to take; 0 for the default cost. A cost above the policy's limit or capacity
	 * can never be admitted: the decision is a rejection (logged)
	 * @return the decision
	 * @throws IllegalArgumentException when no policy has that name
	 */
	default RateLimitDecision tryAcquire(String policy, @Nullable String key, long cost) {
		return tryAcquire(List.of(new RateLimitRequest(policy, key, cost)));
	}

	/**
	 * Checks several limits at once and charges them all or none.
	 * @param requests the limits
	 * @return the decision
	 * @throws IllegalArgumentException when a policy is unknown
	 */
	RateLimitDecision tryAcquire(List<RateLimitRequest> requests);

	/**
	 * Returns a policy.
	 * @param name the policy's name
	 * @return the policy, or {@code null} when none has that name
	 */
	@Nullable RateLimitPolicy policy(String name);

	/**
	 * Returns every policy: configured, registered through this API, and inline ones from
	 * annotations.
	 * @return the policies, sorted by name
	 */
	Collection<RateLimitPolicy> policies();

	/**
	 * Adds a policy or replaces the one with the same name. Counters in Redis are kept: a lower
	 * limit applies to what was already counted, a new window or rate rescales the stored state.
	 * @param policy the policy
	 */
	void updatePolicy(RateLimitPolicy policy);

}
