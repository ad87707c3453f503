package io.redispatterns.writebehind;

import java.util.List;

/**
 * Hands out write-behind buffers and shows their state and dead letters.
 */
public interface WriteBehinds {

	/**
	 * Returns the buffer of a name (created on first use; a buffer with no flush method only fills).
	 * @param <T> the value type
	 * @param name the buffer's name
	 * @param type the value type, the type the flush method's {@link WriteBehindBatch} declares
	 * @return the buffer
	 */
	<T> WriteBehind<T> buffer(String name, Class<T> type);

	/**
	 * Reads the state of a buffer.
	 * @param buffer the buffer's name
	 * @return its backlog, in-flight batch and dead-letter count
	 */
	BufferState state(String buffer);

	/**
	 * Returns the newest dead-lettered batches of a buffer.
	 * @param buffer the buffer's name
	 * @param max how many to return at most
	 * @return the dead batches, newest first
	 */
	List<DeadBatch> deadLetters(String buffer, int max);

}
