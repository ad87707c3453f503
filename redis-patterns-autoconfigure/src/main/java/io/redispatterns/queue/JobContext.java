package io.redispatterns.queue;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

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
	 * Returns the results of a flow parent's children that completed, as JSON, by child id (read from Redis at
	 * the first call).
	 * @return the results, empty for a job without children
	 */
	default Map<JobId, String> childResults() {
		return Map.of();
	}

	/**
	 * Returns the result of one child of a flow parent, decoded.
	 * @param <T> the result type
	 * @param child the child's id
	 * @param type the result type
	 * @return the result, or {@code null} when the child is not a completed child of this job
	 */
	default <T> @Nullable T childResult(JobId child, Class<T> type) {
		return null;
	}

	/**
	 * Returns the last errors of a flow parent's children that died and were added with
	 * {@link FlowJob#ignoringFailure()}, by child id.
	 * @return the errors, empty for a job without children
	 */
	default Map<JobId, String> childFailures() {
		return Map.of();
	}

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
