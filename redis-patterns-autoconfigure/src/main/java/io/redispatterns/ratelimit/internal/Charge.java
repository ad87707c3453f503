package io.redispatterns.ratelimit.internal;

import io.redispatterns.ratelimit.RateLimitPolicy;

/**
 * One limit of a decision, resolved and ready to send: the policy, the client key and the Redis
 * key it charges, and the cost.
 *
 * @param registered the registered policy
 * @param clientKey the client key (the shared key's marker when the request had none)
 * @param redisKey the bytes of the Redis key
 * @param cost the units to charge
 */
record Charge(RegisteredPolicy registered, String clientKey, byte[] redisKey, long cost) {

	RateLimitPolicy policy() {
		return this.registered.policy();
	}

}
