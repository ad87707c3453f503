package io.redispatterns.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * A job of a flow (as BullMQ's {@code FlowProducer}): a parent that runs only after all its children
 * completed; children may live on other queues and have children of their own. The parent's handler reads
 * the children's results with {@link JobContext#childResults()}.
 * <p>
 * A child that dies (dead-lettered after its attempts) fails the parent, which is then dead-lettered without
 * running, unless the child was added with {@link #ignoringFailure()}: then the parent runs anyway and sees
 * the failure in {@link JobContext#childFailures()}.
 * @param queue the job's queue
 * @param name the job's name
 * @param payload the payload, encoded as JSON
 * @param options priority, attempts, back-off, headers, job id (no delay or dedupe key for jobs with children,
 * no dedupe key for children)
 * @param children the jobs that must finish before this one runs
 * @param failParentOnFailure whether this job dying fails its parent
 */
public record FlowJob(String queue, String name, Object payload, JobOptions options, List<FlowJob> children,
		boolean failParentOnFailure) {

	/**
	 * Validates and copies the children.
	 */
	public FlowJob {
		children = List.copyOf(children);
		if (!children.isEmpty() && !options.delay().isZero()) {
			throw new IllegalArgumentException("A job with children cannot be delayed: it starts after its last child");
		}
		if (!children.isEmpty() && options.dedupeKey() != null) {
			throw new IllegalArgumentException("A job with children cannot have a dedupe key");
		}
		for (FlowJob child : children) {
			if (child.options().dedupeKey() != null) {
				throw new IllegalArgumentException(
						"A child job cannot have a dedupe key: a deduplicated child would not report to its parent");
			}
		}
	}

	/**
	 * Creates a job without children named {@value JobQueues#DEFAULT_NAME} with default options.
	 * @param queue the queue
	 * @param payload the payload
	 * @return the job
	 */
	public static FlowJob of(String queue, Object payload) {
		return of(queue, JobQueues.DEFAULT_NAME, payload);
	}

	/**
	 * Creates a named job without children with default options.
	 * @param queue the queue
	 * @param name the job's name
	 * @param payload the payload
	 * @return the job
	 */
	public static FlowJob of(String queue, String name, Object payload) {
		return new FlowJob(queue, name, payload, JobOptions.defaults(), List.of(), true);
	}

	/**
	 * Returns a copy with other options.
	 * @param options the options
	 * @return the job
	 */
	public FlowJob withOptions(JobOptions options) {
		return new FlowJob(this.queue, this.name, this.payload, options, this.children, this.failParentOnFailure);
	}

	/**
	 * Returns a copy with one more child.
	 * @param child the child
	 * @return the job
	 */
	public FlowJob child(FlowJob child) {
		List<FlowJob> all = new ArrayList<>(this.children);
		all.add(child);
		return new FlowJob(this.queue, this.name, this.payload, this.options, all, this.failParentOnFailure);
	}

	/**
	 * Returns a copy whose death does not fail its parent: the parent runs anyway and sees the error in
	 * {@link JobContext#childFailures()}.
	 * @return the job
	 */
	public FlowJob ignoringFailure() {
		return new FlowJob(this.queue, this.name, this.payload, this.options, this.children, false);
	}

}
