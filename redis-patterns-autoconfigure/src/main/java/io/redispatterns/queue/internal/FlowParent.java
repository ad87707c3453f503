package io.redispatterns.queue.internal;

import org.jspecify.annotations.Nullable;

/**
 * Internal: the reference from a flow's child to its parent, stored in the child's hash as
 * {@code <1 fail parent|0 ignore>|<parent id>|<parent queue>} (job ids have no '|'; the queue, which may, is last).
 * @param failParent whether the child dying fails the parent
 * @param id the parent's id
 * @param queue the parent's queue
 */
record FlowParent(boolean failParent, String id, String queue) {

	static String encode(boolean failParent, String id, String queue) {
		return (failParent ? "1|" : "0|") + id + "|" + queue;
	}

	static @Nullable FlowParent decode(String value) {
		if (value.isEmpty()) {
			return null;
		}
		int second = value.indexOf('|', 2);
		if (value.length() < 3 || value.charAt(1) != '|' || second < 0) {
			throw new IllegalArgumentException("Not a flow parent reference: " + value);
		}
		return new FlowParent(value.charAt(0) == '1', value.substring(2, second), value.substring(second + 1));
	}

}
