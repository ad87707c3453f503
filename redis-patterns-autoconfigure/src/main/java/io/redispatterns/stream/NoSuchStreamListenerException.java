package io.redispatterns.stream;

import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Thrown by {@link StreamListeners#get(String)} when no {@link RedisStreamListener @RedisStreamListener} has
 * the requested id.
 */
public class NoSuchStreamListenerException extends NoSuchElementException {

	private static final long serialVersionUID = 1L;

	private final String id;

	/**
	 * Creates an exception for an unknown id.
	 * @param id the id that was requested
	 * @param known the ids that exist
	 */
	public NoSuchStreamListenerException(String id, Set<String> known) {
		super("No @RedisStreamListener with id '" + id + "'; the stream listeners are " + known
				+ " (an id is set with @RedisStreamListener(id = ...) or is '<stream>-<group>' by default)");
		this.id = id;
	}

	/**
	 * Returns the id that was requested.
	 * @return the unknown id
	 */
	public String getId() {
		return this.id;
	}

}
