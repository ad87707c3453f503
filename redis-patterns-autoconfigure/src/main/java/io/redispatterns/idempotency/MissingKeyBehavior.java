package io.redispatterns.idempotency;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What an {@link Idempotent @Idempotent} handler does with a request that has no idempotency key.
 */
public enum MissingKeyBehavior {

	/** {@code process}: run the handler normally, without idempotency protection. */
	PROCESS,

	/** {@code reject}: answer {@code 400} with a problem body. */
	REJECT;

	/**
	 * Returns the configuration value.
	 * @return {@code process} or {@code reject}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Finds a behaviour by its configuration value.
	 * @param value such as {@code reject}
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
