package io.redispatterns.queue;

import java.time.Duration;
import java.util.Map;

/**
 * What a {@link RedisJobHandler @RedisJobHandler} method may declare beside its payload to learn about the
 * job it runs and report on it.
 */
public interface JobContext {

	/**
	 * Returns the queue.
	 * @return the queue name
	 */
	String queue();

	/**
	 * Returns the job's id.
	 * @return the id
	 */
	JobId id();

	/**
	 * Returns the job's name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns which attempt this is.
	 * @return the attempt, from 1
	 */
	int attempt();

	/**
	 * Returns the attempts allowed before the job is dead-lettered.
	 * @return the maximum attempts
	 */
	int maxAttempts();

	/**
	 * Returns the headers given at enqueue.
	 * @return the headers
	 */
	Map<String, String> headers();

	/**
	 * Records the job's progress (visible in {@link JobStatus#progress()}).
	 * @param percent the progress, usually 0 to 100
	 */
	void progress(int percent);

	/**
	 * Appends a line to the job's log (capped at {@code redis-patterns.queue.log-max-lines}).
	 * @param line the line
	 */
	void log(String line);

	/**
	 * Returns how long the lease lasts before it must be renewed; the worker renews it while the handler runs.
	 * {@code ZERO} when the lease was lost (the job was recovered as stalled and may run elsewhere).
	 * @return the remaining lease
	 */
	Duration remainingLease();

	/**
	 * Returns whether this worker still holds the job's lease.
	 * @return {@code false} when the lease was lost and the result will be rejected
	 */
	boolean leaseHeld();

}
