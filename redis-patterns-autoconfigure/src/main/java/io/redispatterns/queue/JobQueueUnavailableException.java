package io.redispatterns.queue;

import io.redispatterns.core.RedisUnavailableException;

/**
 * Thrown when Redis could not be reached: the job was not written, enqueueing again is safe.
 */
public class JobQueueUnavailableException extends RedisUnavailableException {

	private final String queue;

	/**
	 * Creates an exception.
	 * @param queue the queue
	 * @param message what could not be done
	 * @param cause the Redis failure
	 */
	public JobQueueUnavailableException(String queue, String message, Throwable cause) {
		super(message, cause);
		this.queue = queue;
	}

	/**
	 * Returns the queue.
	 * @return the queue name
	 */
	public String getQueue() {
		return this.queue;
	}

}
