package io.redispatterns.ratelimit.internal;

import java.nio.charset.StandardCharsets;

import io.redispatterns.ratelimit.RateLimitPolicy;

/**
 * A registered policy with what every decision would otherwise encode again: its script
 * constants, its key namespace and its shared key, replaced together when the policy is updated.
 *
 * @param policy the policy
 * @param constants the script arguments fixed by the policy (see {@link DecisionCodec#constants})
 * @param namespace the bytes of the policy's key namespace
 * @param sharedKey the bytes of the key shared by requests without a client key
 */
record RegisteredPolicy(RateLimitPolicy policy, byte[][] constants, byte[] namespace, byte[] sharedKey) {

	static RegisteredPolicy of(RateLimitPolicy policy, String namespace, String sharedKey) {
		return new RegisteredPolicy(policy, DecisionCodec.constants(policy), namespace.getBytes(StandardCharsets.UTF_8),
				sharedKey.getBytes(StandardCharsets.UTF_8));
	}

}
