package io.redispatterns.queue;

import java.util.List;

import io.redispatterns.core.RedisOutcomeUnknownException;

/**
 * Thrown when an enqueue was sent to Redis but its reply was lost: the jobs may or may not have been written.
 * Enqueue again with the same ids ({@link JobOptions#withJobId(String)}) or dedupe keys: that is a no-op for
 * jobs that were written.
 */
public class JobQueueOutcomeUnknownException extends RedisOutcomeUnknownException {

	private final String queue;

	private final List<JobId> jobIds;

	/**
	 * Creates an exception.
	 * @param queue the queue
	 * @param jobIds the ids of the jobs that may have been written
	 * @param message what was attempted
	 * @param cause the Redis failure
	 */
	public JobQueueOutcomeUnknownException(String queue, List<JobId> jobIds, String message, Throwable cause) {
		super(message, cause);
		this.queue = queue;
		this.jobIds = List.copyOf(jobIds);
	}

	/**
	 * Returns the queue.
	 * @return the queue name
	 */
	public String getQueue() {
		return this.queue;
	}

	/**
	 * Returns the ids of the jobs that may have been written.
	 * @return the ids
	 */
	public List<JobId> getJobIds() {
		return this.jobIds;
	}

}
