package io.redispatterns.core;

import java.util.Map;

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

}
