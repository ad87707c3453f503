package io.redispatterns.ratelimit;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What a policy does when the client key cannot be resolved or is empty (no {@code X-Api-Key}
 * header, no principal, a SpEL expression that yields {@code null}).
 */
public enum MissingKeyBehavior {

	/** {@code deny}: reject the request (429) without consulting Redis. */
	DENY,

	/** {@code allow}: let the request through; this policy does not apply to it. */
	ALLOW,

	/** {@code shared}: count every keyless request against one shared bucket of the policy. */
	SHARED;

	/**
	 * Returns the configuration value.
	 * @return {@code deny}, {@code allow} or {@code shared}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Finds a behaviour by its configuration value.
	 * @param value such as {@code deny}
	 * @return the behaviour, or {@code null} when the value names none
	 */
	public static @Nullable MissingKeyBehavior fromValue(String value) {
		for (MissingKeyBehavior behavior : values()) {
			if (behavior.value().equalsIgnoreCase(value.trim())) {
				return behavior;
			}
		}
		return null;
	}

}
