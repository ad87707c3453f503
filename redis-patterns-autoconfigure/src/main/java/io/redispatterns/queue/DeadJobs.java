package io.redispatterns.queue;

import java.util.List;

/**
 * Dead letters of job queues: jobs out of attempts, with an undecodable payload, or without a handler.
 * Kept per queue by count and age ({@code redis-patterns.queue.retention.*}).
 */
public interface DeadJobs {

	/**
	 * Lists dead jobs, newest first.
	 * @param queue the queue
	 * @param limit at most this many
	 * @return the dead jobs
	 */
	List<DeadJob> list(String queue, int limit);

	/**
	 * Counts dead jobs.
	 * @param queue the queue
	 * @return how many are kept
	 */
	long count(String queue);

	/**
	 * Moves one dead job back to waiting with a fresh attempt count.
	 * @param queue the queue
	 * @param id the job
	 * @return whether it was dead and is now waiting
	 */
	boolean retry(String queue, JobId id);

	/**
	 * Moves every dead job back to waiting with a fresh attempt count.
	 * @param queue the queue
	 * @return how many jobs were moved
	 */
	long retryAll(String queue);

	/**
	 * Deletes every dead job.
	 * @param queue the queue
	 * @return how many were deleted
	 */
	long purge(String queue);

}
