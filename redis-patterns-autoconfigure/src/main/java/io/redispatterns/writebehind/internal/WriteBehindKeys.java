package io.redispatterns.writebehind.internal;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.TaggedKeyspace;

/**
 * Internal: the keys of a buffer. Every key starts with the buffer's base {@code <prefix>:wb:{<buffer>}},
 * so all of them share the buffer's hash tag (one Cluster slot per buffer; buffers spread over slots).
 */
public final class WriteBehindKeys {

	private final TaggedKeyspace keyspace;

	public WriteBehindKeys(RedisKeys keys) {
		this.keyspace = new TaggedKeyspace(keys, "wb");
	}

	public String base(String buffer) {
		return this.keyspace.base(buffer);
	}

	/** Hash: key to its pending (coalesced) value. */
	public String pending(String buffer) {
		return this.keyspace.key(buffer, "pending");
	}

	/** List: pending keys in the order they were first written. */
	public String order(String buffer) {
		return this.keyspace.key(buffer, "order");
	}

	/** Sorted set: ids of recent writes, so a write re-sent after a lost reply is applied once. */
	public String operations(String buffer) {
		return this.keyspace.key(buffer, "ops");
	}

	/** Hash: the in-flight batch (id, owner, lease deadline, attempts, last error). */
	public String batch(String buffer) {
		return this.keyspace.key(buffer, "batch");
	}

	/** Hash: the in-flight batch's items. */
	public String batchItems(String buffer) {
		return this.keyspace.key(buffer, "batch:items");
	}

	/** Stream: dead-lettered batches with their error. */
	public String dead(String buffer) {
		return this.keyspace.key(buffer, "dead");
	}

}
