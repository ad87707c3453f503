package io.redispatterns.stream.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Internal: entries read in one batch and not yet handed to a handler, in read order, each id once. Used by the
 * poll loop's thread only. They are pending for this consumer in Redis: when the container stops before handling
 * them they stay pending and are delivered again (to this consumer after a restart, or to another after
 * {@code claim-idle}).
 */
final class EntryBuffer {

	private final ArrayDeque<StreamEntry> entries = new ArrayDeque<>();

	/**
	 * Adds the entries of one {@code XREADGROUP ... >} reply to the empty buffer: new to the group, each id once, so
	 * nothing to check (no hashing per entry on the path of a backlog).
	 */
	void addRead(List<StreamEntry> read) {
		if (!this.entries.isEmpty()) {
			addAll(read);
			return;
		}
		this.entries.addAll(read);
	}

	/** Adds entries (claimed, or due for a retry) that are not buffered yet. */
	void addAll(List<StreamEntry> read) {
		Set<String> ids = new HashSet<>(ids());
		for (StreamEntry entry : read) {
			if (ids.add(entry.id())) {
				this.entries.add(entry);
			}
		}
	}

	@Nullable StreamEntry poll() {
		return this.entries.poll();
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	int size() {
		return this.entries.size();
	}

	Collection<String> ids() {
		List<String> ids = new ArrayList<>(this.entries.size());
		for (StreamEntry entry : this.entries) {
			ids.add(entry.id());
		}
		return ids;
	}

	void clear() {
		this.entries.clear();
	}

}
