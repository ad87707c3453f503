package io.redispatterns.writebehind;

import io.redispatterns.core.RedisPatternsException;

/**
 * A write-behind buffer holds its maximum backlog of keys (its flush method is slower than the writes,
 * or failing): the write was not buffered. Raise {@code redis-patterns.write-behind.max-backlog}, flush
 * more often or in larger batches, or shed the write.
 */
public class WriteBehindFullException extends RedisPatternsException {

	private final String buffer;

	private final long maxBacklog;

	/**
	 * Creates an exception.
	 * @param buffer the buffer's name
	 * @param maxBacklog the buffer's capacity in keys
	 * @param message what happened
	 */
	public WriteBehindFullException(String buffer, long maxBacklog, String message) {
		super(message);
		this.buffer = buffer;
		this.maxBacklog = maxBacklog;
	}

	/**
	 * Returns the buffer's name.
	 * @return the buffer
	 */
	public String getBuffer() {
		return this.buffer;
	}

	/**
	 * Returns the buffer's capacity.
	 * @return the most keys pending plus in flight
	 */
	public long getMaxBacklog() {
		return this.maxBacklog;
	}

}
