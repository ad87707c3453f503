package io.redispatterns.queue.internal;

import io.redispatterns.core.RedisKeys;

/**
 * Internal: the keys of a queue. Every key starts with the queue's base {@code <prefix>:queue:{<queue>}}, so
 * all of them share the queue's hash tag (one Cluster slot per queue; queues spread over slots). Scripts build
 * the per-job keys ({@code <base>:j:<id>}) from the base they are given.
 */
public final class QueueKeys {

	private final String namespace;

	public QueueKeys(RedisKeys keys) {
		this.namespace = keys.namespace("queue");
	}

	public String base(String queue) {
		return this.namespace + "{" + RedisKeys.escape(queue) + "}";
	}

	/** Sorted set of waiting jobs: priority, then FIFO; while the queue is paused, a member marks it first. */
	public String waiting(String queue) {
		return base(queue) + ":wait";
	}

	public String delayed(String queue) {
		return base(queue) + ":delayed";
	}

	public String active(String queue) {
		return base(queue) + ":active";
	}

	public String completed(String queue) {
		return base(queue) + ":completed";
	}

	public String dead(String queue) {
		return base(queue) + ":dead";
	}

	/** A sorted set with at most one member: present when a blocked worker should look for jobs. */
	public String marker(String queue) {
		return base(queue) + ":marker";
	}

	/** Hash with the FIFO sequence and the last tick of each repeatable job. */
	public String meta(String queue) {
		return base(queue) + ":meta";
	}

	/** Capped stream of completed and dead events, read by {@code awaitResult}. */
	public String events(String queue) {
		return base(queue) + ":events";
	}

	public String job(String queue, String id) {
		return base(queue) + ":j:" + id;
	}

	public String log(String queue, String id) {
		return job(queue, id) + ":log";
	}

	/** The last take of one worker, remembered for the lease so a re-sent take returns the same jobs. */
	public String take(String queue, String worker) {
		return base(queue) + ":tk:" + RedisKeys.escape(worker);
	}

}
