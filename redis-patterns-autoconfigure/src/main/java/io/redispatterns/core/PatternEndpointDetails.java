package io.redispatterns.core;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A pattern's part of the {@code redispatterns} Actuator endpoint: its configuration and live
 * state (policies, caches, held locks, listeners). Never includes raw keys of users, session
 * ids or other secrets.
 */
public interface PatternEndpointDetails {

	/**
	 * Returns the key under which the pattern appears, such as {@code rateLimit}.
	 * @return the pattern's name
	 */
	String patternName();

	/**
	 * Describes the pattern; the map is rendered as JSON.
	 * @return the description
	 */
	Map<String, Object> describe();

	/**
	 * Returns the details of a pattern that {@code describe} computes on every request.
	 * @param patternName the key under which the pattern appears
	 * @param describe describes the pattern
	 * @return the details
	 */
	static PatternEndpointDetails of(String patternName, Supplier<Map<String, Object>> describe) {
		return new PatternEndpointDetails() {

			@Override
			public String patternName() {
				return patternName;
			}

			@Override
			public Map<String, Object> describe() {
				return describe.get();
			}

		};
	}

}
