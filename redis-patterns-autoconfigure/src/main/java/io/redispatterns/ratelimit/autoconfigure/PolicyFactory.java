package io.redispatterns.ratelimit.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.ratelimit.FailureMode;
import io.redispatterns.ratelimit.MissingKeyBehavior;
import io.redispatterns.ratelimit.RateLimitAlgorithm;
import io.redispatterns.ratelimit.RateLimitHeaderStyle;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RefillRate;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@link RateLimitProperties} into validated policies; every problem names its property.
 */
final class PolicyFactory {

	static final String PREFIX = "redis-patterns.rate-limit";

	private PolicyFactory() {
	}

	static List<RateLimitPolicy> policies(RateLimitProperties properties) {
		List<RateLimitPolicy> policies = new ArrayList<>();
		for (Map.Entry<String, RateLimitProperties.Policy> entry : properties.getPolicies().entrySet()) {
			policies.add(policy(entry.getKey(), entry.getValue()));
		}
		return policies;
	}

	static RateLimitPolicy policy(String name, RateLimitProperties.Policy source) {
		String property = PREFIX + ".policies." + name + ".";
		RateLimitAlgorithm algorithm = source.getAlgorithm();
		MissingKeyBehavior missingKey = source.getMissingKey();
		FailureMode failureMode = source.getFailureMode();
		long limit;
		RefillRate refillRate = null;
		Duration window = null;
		if (algorithm == RateLimitAlgorithm.TOKEN_BUCKET) {
			limit = required(source.getCapacity(), property + "capacity", "a positive capacity for the token bucket");
			String rate = source.getRefillRate();
			if (rate == null) {
				throw new InvalidRedisPatternsPropertyException(property + "refill-rate", "(not set)",
						"a refill rate such as 5/s for the token bucket");
			}
			try {
				refillRate = RefillRate.parse(rate);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRedisPatternsPropertyException(property + "refill-rate", rate,
						"<positive tokens>/<period> such as 5/s, 100/1m or 1000/1d");
			}
		}
		else {
			limit = required(source.getLimit(), property + "limit", "a positive limit");
			window = source.getWindow();
			if (window == null) {
				throw new InvalidRedisPatternsPropertyException(property + "window", "(not set)",
						"a positive duration such as 1s, 1m or 1d");
			}
		}
		String problem = RateLimitPolicy.problem(algorithm, limit, window, refillRate, source.getCost());
		if (problem != null) {
			String attribute = problem.substring(0, problem.indexOf(':'));
			Object value = switch (attribute) {
				case "capacity", "limit" -> limit;
				case "cost" -> source.getCost();
				case "window" -> String.valueOf(window);
				default -> String.valueOf(source.getRefillRate());
			};
			throw new InvalidRedisPatternsPropertyException(property + attribute, value,
					problem.substring(problem.indexOf(':') + 1).trim());
		}
		return new RateLimitPolicy(name, algorithm, limit, window, refillRate, source.getCost(), source.getKey(),
				missingKey, failureMode, source.getPaths(), source.getMethods());
	}

	static RateLimitHeaderStyle headerStyle(RateLimitProperties properties) {
		return properties.getHeaderStyle();
	}

	static void validateSettings(RateLimitProperties properties) {
		Duration timeout = properties.getTimeout();
		if (timeout.isNegative() || timeout.isZero()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".timeout", timeout, "a positive duration");
		}
		headerStyle(properties);
	}

	private static long required(@Nullable Long value, String property, String allowed) {
		if (value == null) {
			throw new InvalidRedisPatternsPropertyException(property, "(not set)", allowed);
		}
		return value;
	}

}
