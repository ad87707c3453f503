package io.redispatterns.ratelimit.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.ratelimit.MissingKeyBehavior;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitMetrics;
import io.redispatterns.ratelimit.RateLimitPolicy;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * The limiter's policies by name, and the first step of every decision: resolving a request
 * (policy name, client key, cost) into the {@link Charge} to send, or into an answer that needs no
 * Redis (a cost above the limit, a missing key that is denied or let through).
 */
final class PolicyRegistry {

	/** The key pattern of every rate-limit key: {@code <prefix>:rl:<policy>:{<client key>}}. */
	static final String KEY_PATTERN = "rl";

	/** The client key of requests without one when the policy shares one bucket between them. */
	static final String SHARED_KEY = "{~shared}";

	private final RedisKeys keys;

	private final RateLimitMetrics metrics;

	private final RateLimitedLogger costLog;

	private final Map<String, RegisteredPolicy> policies = new ConcurrentHashMap<>();

	PolicyRegistry(RedisKeys keys, RateLimitMetrics metrics, Log logger) {
		this.keys = keys;
		this.metrics = metrics;
		this.costLog = new RateLimitedLogger(logger, Duration.ofSeconds(10));
	}

	@Nullable RateLimitPolicy policy(String name) {
		RegisteredPolicy registered = this.policies.get(name);
		return (registered != null) ? registered.policy() : null;
	}

	Collection<RateLimitPolicy> policies() {
		return this.policies.values()
			.stream()
			.map(RegisteredPolicy::policy)
			.sorted(Comparator.comparing(RateLimitPolicy::name))
			.toList();
	}

	Set<String> names() {
		return this.policies.keySet();
	}

	void update(RateLimitPolicy policy) {
		String namespace = this.keys.namespace(KEY_PATTERN, policy.name());
		if (this.policies.put(policy.name(), RegisteredPolicy.of(policy, namespace, namespace + SHARED_KEY)) == null) {
			this.metrics.register(policy.name());
		}
	}

	/**
	 * Resolves one request: a {@link Charge} to send, a refused {@link RateLimitDecision.Limit}, or
	 * {@code null} when the request is let through without Redis (a missing key with
	 * {@link MissingKeyBehavior#ALLOW}).
	 * @param policyName the policy
	 * @param clientKey the client key, {@code null} or blank when the request had none
	 * @param requestCost the cost asked for; zero or less for the policy's own
	 * @return the charge, the refusal, or {@code null}
	 * @throws IllegalArgumentException when no policy has that name
	 */
	@Nullable Object admit(String policyName, @Nullable String clientKey, long requestCost) {
		RegisteredPolicy registered = this.policies.get(policyName);
		if (registered == null) {
			throw new IllegalArgumentException(
					"No rate-limit policy named '" + policyName + "'; known: " + this.policies.keySet());
		}
		RateLimitPolicy policy = registered.policy();
		long cost = (requestCost > 0) ? requestCost : policy.cost();
		if (cost > policy.limit()) {
			// can never be admitted (say, the limit was lowered at runtime below an annotation's cost)
			this.costLog.warn("Cost " + cost + " exceeds the limit " + policy.limit() + " of rate-limit policy '"
					+ policy.name() + "'; rejecting", null);
			Duration window = Duration.ofNanos(policy.windowMicros() * 1000);
			return new RateLimitDecision.Limit(policy, false, 0, window, window,
					RateLimitDecision.Refusal.COST_EXCEEDS_LIMIT);
		}
		byte[] redisKey;
		if (clientKey == null || clientKey.isBlank()) {
			switch (policy.missingKey()) {
				case ALLOW -> {
					return null;
				}
				case DENY -> {
					Duration window = Duration.ofNanos(policy.windowMicros() * 1000);
					return new RateLimitDecision.Limit(policy, false, 0, window, Duration.ofSeconds(1),
							RateLimitDecision.Refusal.KEY_MISSING);
				}
				default -> {
					clientKey = SHARED_KEY;
					redisKey = registered.sharedKey();
				}
			}
		}
		else {
			// the bytes of keys.tagged(KEY_PATTERN, policy, clientKey), from the namespace encoded once
			redisKey = RedisKeys.taggedBytes(registered.namespace(), clientKey);
		}
		return new Charge(registered, clientKey, redisKey, cost);
	}

}
