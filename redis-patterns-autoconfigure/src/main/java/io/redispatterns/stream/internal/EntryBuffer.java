package io.redispatterns.stream.internal;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Internal: entries read in one batch and not yet handed to a handler, in read order, each id once. Used by the
 * poll loop's thread only. They are pending for this consumer in Redis: when the container stops before handling
 * them they stay pending and are delivered again (to this consumer after a restart, or to another after
 * {@code claim-idle}).
 */
final class EntryBuffer {

	private final Map<String, StreamEntry> entries = new LinkedHashMap<>();

	void addAll(List<StreamEntry> read) {
		for (StreamEntry entry : read) {
			this.entries.putIfAbsent(entry.id(), entry);
		}
	}

	@Nullable StreamEntry poll() {
		Iterator<StreamEntry> iterator = this.entries.values().iterator();
		if (!iterator.hasNext()) {
			return null;
		}
		StreamEntry first = iterator.next();
		iterator.remove();
		return first;
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	int size() {
		return this.entries.size();
	}

	Collection<String> ids() {
		return this.entries.keySet();
	}

	void clear() {
		this.entries.clear();
	}

}
