package io.redispatterns.core;

import java.util.function.Supplier;

import org.springframework.boot.health.contributor.Health;

/**
 * A pattern's part of the {@code redisPatterns} health contributor. Each bean of this type
 * appears under its {@link #patternName()} in the health details; a {@code DOWN} part makes the
 * whole contributor {@code DOWN}.
 */
public interface PatternHealthDetails {

	/**
	 * Returns the key under which the pattern's details appear, such as {@code rateLimit}.
	 * @return the pattern's name
	 */
	String patternName();

	/**
	 * Reports the pattern's state. Called on every health request: must not block on Redis for
	 * longer than a command timeout.
	 * @return the pattern's status and details
	 */
	Health health();

	/**
	 * Returns the health part of a pattern that {@code health} computes on every request.
	 * @param patternName the key under which the pattern's details appear
	 * @param health reports the pattern's state
	 * @return the health part
	 */
	static PatternHealthDetails of(String patternName, Supplier<Health> health) {
		return new PatternHealthDetails() {

			@Override
			public String patternName() {
				return patternName;
			}

			@Override
			public Health health() {
				return health.get();
			}

		};
	}

}
