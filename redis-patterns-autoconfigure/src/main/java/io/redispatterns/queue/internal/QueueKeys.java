package io.redispatterns.queue.internal;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.TaggedKeyspace;

/**
 * Internal: the keys of a queue. Every key starts with the queue's base {@code <prefix>:queue:{<queue>}}, so
 * all of them share the queue's hash tag (one Cluster slot per queue; queues spread over slots). Scripts build
 * the per-job keys ({@code <base>:j:<id>}) from the base they are given.
 */
public final class QueueKeys {

	private final TaggedKeyspace keyspace;

	public QueueKeys(RedisKeys keys) {
		this.keyspace = new TaggedKeyspace(keys, "queue");
	}

	public String base(String queue) {
		return this.keyspace.base(queue);
	}

	/**
	 * Sorted set of waiting jobs of a priority above 0: priority, then FIFO; while the queue is paused, a member marks
	 * it first.
	 */
	public String waiting(String queue) {
		return this.keyspace.key(queue, "wait");
	}

	/**
	 * List of waiting jobs of priority 0, first in first out; a mark at its taking end sends takes to
	 * {@link #waiting(String)} first (the scripts derive this key from that one: {@code prelude.lua}).
	 */
	public String ready(String queue) {
		return this.keyspace.key(queue, "ready");
	}

	public String delayed(String queue) {
		return this.keyspace.key(queue, "delayed");
	}

	public String active(String queue) {
		return this.keyspace.key(queue, "active");
	}

	public String completed(String queue) {
		return this.keyspace.key(queue, "completed");
	}

	public String dead(String queue) {
		return this.keyspace.key(queue, "dead");
	}

	/** A sorted set with at most one member: present when a blocked worker should look for jobs. */
	public String marker(String queue) {
		return this.keyspace.key(queue, "marker");
	}

	/** Hash with the FIFO sequence and the last tick of each repeatable job. */
	public String meta(String queue) {
		return this.keyspace.key(queue, "meta");
	}

	/** Capped stream of completed and dead events, read by {@code awaitResult}. */
	public String events(String queue) {
		return this.keyspace.key(queue, "events");
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
