package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Internal: the entries of this consumer that failed and are delivered again once their back-off has passed
 * (they stay pending in Redis meanwhile). Written by handlers, read by the poll loop.
 */
final class RetrySchedule {

	/** Entry id to the time (epoch ms) its retry is due. */
	private final ConcurrentSkipListMap<String, Long> due = new ConcurrentSkipListMap<>();

	/** Schedules a retry (replacing an earlier schedule of the same entry). */
	void schedule(String id, long dueAtMillis) {
		this.due.put(id, dueAtMillis);
	}

	/** Schedules a retry unless one is scheduled already. */
	void scheduleIfAbsent(String id, long dueAtMillis) {
		this.due.putIfAbsent(id, dueAtMillis);
	}

	void remove(String id) {
		this.due.remove(id);
	}

	void clear() {
		this.due.clear();
	}

	boolean isEmpty() {
		return this.due.isEmpty();
	}

	Collection<String> ids() {
		return this.due.keySet();
	}

	/** Removes and returns up to {@code max} entries whose retry is due. */
	List<String> takeDue(int max) {
		List<String> ready = new ArrayList<>();
		if (this.due.isEmpty()) {
			return ready;
		}
		long now = System.currentTimeMillis();
		for (Map.Entry<String, Long> retry : this.due.entrySet()) {
			if (ready.size() >= max) {
				break;
			}
			if (retry.getValue() <= now && this.due.remove(retry.getKey(), retry.getValue())) {
				ready.add(retry.getKey());
			}
		}
		return ready;
	}

	/** Time until the earliest retry is due, at most {@code cap} (never below 1 ms). */
	Duration untilEarliest(Duration cap) {
		long millis = cap.toMillis();
		long now = System.currentTimeMillis();
		for (Long at : this.due.values()) {
			millis = Math.min(millis, at - now);
		}
		return Duration.ofMillis(Math.max(1, millis));
	}

}
