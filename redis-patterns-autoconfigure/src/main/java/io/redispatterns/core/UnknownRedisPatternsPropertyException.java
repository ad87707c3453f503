package io.redispatterns.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when the configuration sets a {@code redis-patterns.*} property that no part of the
 * library reads, usually a misspelt name that would otherwise be silently ignored. Names the property and,
 * when one is close, the valid name it was probably meant to be.
 */
public class UnknownRedisPatternsPropertyException extends InvalidRedisPatternsPropertyException {

	private final @Nullable String suggestion;

	/**
	 * Creates an exception.
	 * @param property the full name of the unknown property
	 * @param value its value
	 * @param suggestion the nearest valid property name, if one is close
	 */
	public UnknownRedisPatternsPropertyException(String property, Object value, @Nullable String suggestion) {
		super(property, value,
				(suggestion != null) ? "a known property, such as '" + suggestion + "'"
						: "a known redis-patterns property (see the configuration reference)",
				"Unknown property '" + property + "' (nothing reads it)"
						+ ((suggestion != null) ? "; did you mean '" + suggestion + "'?" : ""));
		this.suggestion = suggestion;
	}

	/**
	 * Returns the nearest valid property name.
	 * @return the suggestion, or {@code null} when no valid name is close
	 */
	public @Nullable String getSuggestion() {
		return this.suggestion;
	}

}
