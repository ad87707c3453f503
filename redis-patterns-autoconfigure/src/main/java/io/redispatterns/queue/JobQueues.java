package io.redispatterns.queue;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Enqueues and manages jobs of reliable Redis job queues; jobs run in
 * {@link RedisJobHandler @RedisJobHandler} methods of any instance.
 * <p>
 * Failure semantics: when Redis cannot be reached, enqueueing throws {@link JobQueueUnavailableException}
 * (nothing was written) within the command timeout; when a command was sent and its reply lost, it throws
 * {@link JobQueueOutcomeUnknownException}, which carries the job's id: enqueueing again with that id
 * ({@link JobOptions#withJobId(String)}) or the same dedupe key is then safe.
 */
public interface JobQueues {

	/** Name of jobs enqueued without one, and of handlers declared without one. */
	String DEFAULT_NAME = "default";

	/**
	 * Enqueues a job named {@value #DEFAULT_NAME} with default options.
	 * @param queue the queue
	 * @param payload the payload, encoded as JSON
	 * @return the job's id
	 */
	default JobId enqueue(String queue, Object payload) {
		return enqueue(queue, DEFAULT_NAME, payload, JobOptions.defaults());
	}

	/**
	 * Enqueues a job named {@value #DEFAULT_NAME}.
	 * @param queue the queue
	 * @param payload the payload, encoded as JSON
	 * @param options delay, priority, attempts, back-off, dedupe key
	 * @return the job's id (the pending job's id when its dedupe key is taken)
	 */
	default JobId enqueue(String queue, Object payload, JobOptions options) {
		return enqueue(queue, DEFAULT_NAME, payload, options);
	}

	/**
	 * Enqueues a named job with default options.
	 * @param queue the queue
	 * @param name the job's name: which {@code @RedisJobHandler(name = ...)} runs it
	 * @param payload the payload, encoded as JSON
	 * @return the job's id
	 */
	default JobId enqueue(String queue, String name, Object payload) {
		return enqueue(queue, name, payload, JobOptions.defaults());
	}

	/**
	 * Enqueues a named job. Inside a Spring transaction the job is written after the commit unless the
	 * options say {@link JobOptions#immediately()}; the returned id is valid either way.
	 * @param queue the queue
	 * @param name the job's name: which {@code @RedisJobHandler(name = ...)} runs it
	 * @param payload the payload, encoded as JSON
	 * @param options delay, priority, attempts, back-off, dedupe key
	 * @return the job's id (the pending job's id when its dedupe key is taken)
	 * @throws JobQueueUnavailableException when Redis cannot be reached (nothing was written)
	 * @throws JobQueueOutcomeUnknownException when the reply was lost (the job may have been written)
	 */
	JobId enqueue(String queue, String name, Object payload, JobOptions options);

	/**
	 * Enqueues many jobs of one queue in one round trip (all keys of a queue share one Cluster slot).
	 * @param queue the queue
	 * @param name the jobs' name
	 * @param payloads the payloads
	 * @param options the options of every job (a chosen job id is not allowed)
	 * @return the ids, in the order of the payloads
	 */
	List<JobId> enqueueAll(String queue, String name, List<?> payloads, JobOptions options);

	/**
	 * Enqueues a flow: the parent and, depth first, its children, each on its own queue. The parent waits (state
	 * {@link JobState#WAITING_CHILDREN}) until every child has completed (or died, when it ignores failures).
	 * Inside a Spring transaction the flow is written after the commit unless the parent's options say
	 * {@link JobOptions#immediately()}.
	 * <p>
	 * The jobs are written one call per job, parents first. When that stops half-way (Redis fails), enqueueing
	 * the same flow again with the same job ids ({@link JobOptions#withJobId(String)}) completes it: jobs that
	 * exist are left alone.
	 * @param parent the parent with its children
	 * @return the ids of the parent and its children, depth first, parent first
	 * @throws JobQueueUnavailableException when Redis cannot be reached
	 * @throws JobQueueOutcomeUnknownException when a reply was lost
	 */
	List<JobId> enqueueFlow(FlowJob parent);

	/**
	 * Reads a job.
	 * @param queue the queue
	 * @param id the job
	 * @return the job, or {@code null} when it is unknown, cancelled or removed by retention
	 */
	@Nullable JobStatus status(String queue, JobId id);

	/**
	 * Cancels a job that has not started. A child of a flow is not cancelled: its parent waits for
	 * its outcome.
	 * @param queue the queue
	 * @param id the job
	 * @return whether it was waiting or delayed and is now removed
	 */
	boolean cancel(String queue, JobId id);

	/**
	 * Stops every worker of every instance from taking jobs of a queue (running jobs finish).
	 * @param queue the queue
	 */
	void pause(String queue);

	/**
	 * Lets workers take jobs of a paused queue again.
	 * @param queue the queue
	 */
	void resume(String queue);

	/**
	 * Counts jobs per state.
	 * @param queue the queue
	 * @return the counts
	 */
	QueueDepths depths(String queue);

	/**
	 * Waits until a job, run by any instance, has completed or died, by reading the queue's event
	 * stream ({@code redis-patterns.queue.events-max-length} must be positive).
	 * @param queue the queue
	 * @param id the job
	 * @param timeout longest wait
	 * @return the job's final status, or {@code null} when it did not finish in time or is unknown
	 */
	@Nullable JobStatus awaitResult(String queue, JobId id, Duration timeout);

}
