package io.redispatterns.writebehind.internal;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Internal: what write-behind buffers record. The Micrometer implementation lives in the
 * auto-configuration and is used only when Micrometer is present.
 */
public interface WriteBehindMetrics {

	WriteBehindMetrics NONE = new WriteBehindMetrics() {
	};

	/** Every outcome tag value of a write. */
	List<String> WRITE_OUTCOMES = List.of("accepted", "coalesced", "rejected");

	/** Every outcome tag value of a flush attempt. */
	List<String> FLUSH_OUTCOMES = List.of("success", "failure", "dead");

	/**
	 * Called for every configured buffer and when a buffer's flusher is created, so that its meters exist at zero
	 * before the first write and dashboards and alerts work from the start. Tags are those of the events.
	 */
	default void register(String buffer) {
	}

	/** A write: {@code accepted} (a new key), {@code coalesced}, {@code rejected} (full). */
	default void write(String buffer, String outcome) {
	}

	/** A flush attempt of a batch: {@code success}, {@code failure} (retried) or {@code dead}. */
	default void flush(String buffer, String outcome, int items, long nanos) {
	}

	default <T> void backlogGauge(String buffer, T source, ToDoubleFunction<T> backlog) {
	}

}
