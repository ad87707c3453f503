package io.redispatterns.ratelimit.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.autoconfigure.CircuitBreakerProperties;
import io.redispatterns.ratelimit.FailureMode;
import io.redispatterns.ratelimit.MissingKeyBehavior;
import io.redispatterns.ratelimit.RateLimitAlgorithm;
import io.redispatterns.ratelimit.RateLimitHeaderStyle;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Rate limiting settings and policies ({@code redis-patterns.rate-limit.*}).
 */
@ConfigurationProperties("redis-patterns.rate-limit")
public class RateLimitProperties {

	/**
	 * Whether rate limiting is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Longest time a decision waits for Redis before the policy's failure mode applies. Lettuce's
	 * own command timeout is spring.data.redis.timeout.
	 */
	private Duration timeout = Duration.ofMillis(200);

	/**
	 * Rate-limit headers on responses: x-ratelimit, ietf, both or none.
	 */
	private RateLimitHeaderStyle headerStyle = RateLimitHeaderStyle.BOTH;

	/**
	 * CIDR blocks of proxies whose Forwarded and X-Forwarded-For headers are trusted to carry the
	 * client IP, such as 10.0.0.0/8. Empty trusts no proxy.
	 */
	private List<String> trustedProxies = new ArrayList<>();

	/**
	 * Circuit breaker that stops calling Redis while it is known to be down.
	 */
	@NestedConfigurationProperty
	private final CircuitBreakerProperties circuitBreaker = new CircuitBreakerProperties(5, Duration.ofSeconds(1));

	/**
	 * Named policies, referenced by @RateLimited(policy = "<name>") or applied to paths.
	 */
	private Map<String, Policy> policies = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public RateLimitHeaderStyle getHeaderStyle() {
		return this.headerStyle;
	}

	public void setHeaderStyle(RateLimitHeaderStyle headerStyle) {
		this.headerStyle = headerStyle;
	}

	public List<String> getTrustedProxies() {
		return this.trustedProxies;
	}

	public void setTrustedProxies(List<String> trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	public CircuitBreakerProperties getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public Map<String, Policy> getPolicies() {
		return this.policies;
	}

	public void setPolicies(Map<String, Policy> policies) {
		this.policies = policies;
	}

	/**
	 * One named policy.
	 */
	public static class Policy {

		/**
		 * Algorithm: gcra, fixed-window, sliding-window, sliding-window-counter or token-bucket.
		 */
		private RateLimitAlgorithm algorithm = RateLimitAlgorithm.GCRA;

		/**
		 * Units admitted per window (all algorithms but token-bucket).
		 */
		private @Nullable Long limit;

		/**
		 * Window length, from milliseconds to days (all algorithms but token-bucket).
		 */
		private @Nullable Duration window;

		/**
		 * Token bucket size, the largest burst (token-bucket only).
		 */
		private @Nullable Long capacity;

		/**
		 * Token bucket refill rate as tokens/period, such as 5/s or 100/1m (token-bucket only).
		 */
		private @Nullable String refillRate;

		/**
		 * Units one request takes.
		 */
		private long cost = 1;

		/**
		 * Client key: ip, principal, global, header:<name>, bean:<RateLimitKeyResolver bean>, or a SpEL
		 * expression starting with # (or spel:<expression>).
		 */
		private String key = "ip";

		/**
		 * What happens when the key is missing or empty: deny, allow or shared.
		 */
		private MissingKeyBehavior missingKey = MissingKeyBehavior.DENY;

		/**
		 * What happens when Redis fails or is known down: fail-open (allow, counted as degraded) or
		 * fail-closed (503).
		 */
		private FailureMode failureMode = FailureMode.FAIL_OPEN;

		/**
		 * URL patterns (Spring PathPattern syntax) the policy applies to without an annotation.
		 */
		private List<String> paths = new ArrayList<>();

		/**
		 * HTTP methods the paths are limited to. Empty means all.
		 */
		private List<String> methods = new ArrayList<>();

		public RateLimitAlgorithm getAlgorithm() {
			return this.algorithm;
		}

		public void setAlgorithm(RateLimitAlgorithm algorithm) {
			this.algorithm = algorithm;
		}

		public @Nullable Long getLimit() {
			return this.limit;
		}

		public void setLimit(@Nullable Long limit) {
			this.limit = limit;
		}

		public @Nullable Duration getWindow() {
			return this.window;
		}

		public void setWindow(@Nullable Duration window) {
			this.window = window;
		}

		public @Nullable Long getCapacity() {
			return this.capacity;
		}

		public void setCapacity(@Nullable Long capacity) {
			this.capacity = capacity;
		}

		public @Nullable String getRefillRate() {
			return this.refillRate;
		}

		public void setRefillRate(@Nullable String refillRate) {
			this.refillRate = refillRate;
		}

		public long getCost() {
			return this.cost;
		}

		public void setCost(long cost) {
			this.cost = cost;
		}

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		public MissingKeyBehavior getMissingKey() {
			return this.missingKey;
		}

		public void setMissingKey(MissingKeyBehavior missingKey) {
			this.missingKey = missingKey;
		}

		public FailureMode getFailureMode() {
			return this.failureMode;
		}

		public void setFailureMode(FailureMode failureMode) {
			this.failureMode = failureMode;
		}

		public List<String> getPaths() {
			return this.paths;
		}

		public void setPaths(List<String> paths) {
			this.paths = paths;
		}

		public List<String> getMethods() {
			return this.methods;
		}

		public void setMethods(List<String> methods) {
			this.methods = methods;
		}

	}

}
