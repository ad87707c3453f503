package io.redispatterns.writebehind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A database that persists batches idempotently: a batch whose id it already recorded is skipped, as a
 * flush method would with the id stored in the same transaction as the data.
 */
final class InMemoryDatabase {

	private final Map<String, Long> totals = new HashMap<>();

	private final Map<String, Object> values = new HashMap<>();

	private final Set<String> appliedBatches = new HashSet<>();

	private final List<String> deliveries = new ArrayList<>();

	/** Adds counts; returns whether the batch was new. */
	synchronized boolean add(WriteBehindBatch<Long> batch) {
		this.deliveries.add(batch.id());
		if (!this.appliedBatches.add(batch.id())) {
			return false;
		}
		batch.items().forEach((key, count) -> this.totals.merge(key, count, Long::sum));
		return true;
	}

	/** Stores values (last wins); returns whether the batch was new. */
	synchronized boolean put(WriteBehindBatch<?> batch) {
		this.deliveries.add(batch.id());
		if (!this.appliedBatches.add(batch.id())) {
			return false;
		}
		this.values.putAll(batch.items());
		return true;
	}

	synchronized long total(String key) {
		return this.totals.getOrDefault(key, 0L);
	}

	synchronized long sum() {
		return this.totals.values().stream().mapToLong(Long::longValue).sum();
	}

	synchronized Object value(String key) {
		return this.values.get(key);
	}

	synchronized List<String> deliveries() {
		return List.copyOf(this.deliveries);
	}

	synchronized int appliedBatchCount() {
		return this.appliedBatches.size();
	}

}
