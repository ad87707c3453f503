package io.redispatterns.ratelimit;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What a policy does when Redis fails, is slower than the limiter's timeout, or is known to be
 * down (circuit breaker open). Either way the failure is logged (rate-limited) and counted.
 */
public enum FailureMode {

	/** {@code fail-open}: allow the request; counted as {@code result=degraded}. */
	FAIL_OPEN,

	/** {@code fail-closed}: reject the request with 503 and a problem body. */
	FAIL_CLOSED;

	/**
	 * Returns the configuration value.
	 * @return {@code fail-open} or {@code fail-closed}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Finds a mode by its configuration value.
	 * @param value such as {@code fail-open}
	 * @return the mode, or {@code null} when the value names none
	 */
	public static @Nullable FailureMode fromValue(String value) {
		for (FailureMode mode : values()) {
			if (mode.value().equalsIgnoreCase(value.trim())) {
				return mode;
			}
		}
		return null;
	}

}
