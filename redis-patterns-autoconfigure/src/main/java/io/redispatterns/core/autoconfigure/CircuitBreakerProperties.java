package io.redispatterns.core.autoconfigure;

import java.time.Duration;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisCircuitBreaker;

/**
 * Settings of a pattern's {@link RedisCircuitBreaker}, bound under
 * {@code redis-patterns.<pattern>.circuit-breaker}. One type for every pattern, so the
 * properties read the same everywhere.
 */
public class CircuitBreakerProperties {

	/**
	 * Consecutive Redis failures (errors or timeouts) after which the breaker opens.
	 */
	private int failureThreshold;

	/**
	 * How long the open breaker skips Redis before letting one probe call through.
	 */
	private Duration openDuration;

	/**
	 * Creates settings with a pattern's defaults.
	 * @param failureThreshold default consecutive failures that open the breaker
	 * @param openDuration default time the breaker stays open
	 */
	public CircuitBreakerProperties(int failureThreshold, Duration openDuration) {
		this.failureThreshold = failureThreshold;
		this.openDuration = openDuration;
	}

	public int getFailureThreshold() {
		return this.failureThreshold;
	}

	public void setFailureThreshold(int failureThreshold) {
		this.failureThreshold = failureThreshold;
	}

	public Duration getOpenDuration() {
		return this.openDuration;
	}

	public void setOpenDuration(Duration openDuration) {
		this.openDuration = openDuration;
	}

	/**
	 * Checks the settings and builds the breaker.
	 * @param name the breaker's name (the pattern), used in logs
	 * @param prefix the properties' prefix, such as {@code redis-patterns.cache.circuit-breaker}
	 * @return a closed breaker
	 * @throws InvalidRedisPatternsPropertyException naming the property when a value is unusable
	 */
	public RedisCircuitBreaker createBreaker(String name, String prefix) {
		if (this.failureThreshold < 1) {
			throw new InvalidRedisPatternsPropertyException(prefix + ".failure-threshold", this.failureThreshold,
					"a number of failures of at least 1");
		}
		if (this.openDuration.isNegative() || this.openDuration.isZero()) {
			throw new InvalidRedisPatternsPropertyException(prefix + ".open-duration", this.openDuration,
					"a positive duration");
		}
		return new RedisCircuitBreaker(name, this.failureThreshold, this.openDuration);
	}

}
