package io.redispatterns.core;

/**
 * A part of the {@code redispatterns} Actuator endpoint served only on request, at
 * {@code /actuator/redispatterns/<name>}, because it costs Redis work (such as a bounded
 * {@code SCAN}) that the overview must not do on every call.
 */
public interface EndpointSection {

	/**
	 * Returns the selector under which the section is served, such as {@code keyspace}.
	 * @return the name
	 */
	String sectionName();

	/**
	 * Computes the section; rendered as JSON.
	 * @return the section
	 */
	Object report();

}
