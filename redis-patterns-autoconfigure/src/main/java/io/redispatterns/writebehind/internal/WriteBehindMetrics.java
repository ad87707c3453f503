package io.redispatterns.writebehind.internal;

import java.util.function.ToDoubleFunction;

/**
 * Internal: what write-behind buffers record. The Micrometer implementation lives in the
 * auto-configuration and is used only when Micrometer is present.
 */
public interface WriteBehindMetrics {

	WriteBehindMetrics NONE = new WriteBehindMetrics() {
	};

	/** A write: {@code accepted} (a new key), {@code coalesced}, {@code rejected} (full). */
	default void write(String buffer, String outcome) {
	}

	/** A flush attempt of a batch: {@code success}, {@code failure} (retried) or {@code dead}. */
	default void flush(String buffer, String outcome, int items, long nanos) {
	}

	default <T> void backlogGauge(String buffer, T source, ToDoubleFunction<T> backlog) {
	}

}
