package io.redispatterns.stream.internal;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Internal: what the stream containers and publisher record. The Micrometer implementation lives in the
 * auto-configuration and is used only when Micrometer is present.
 */
public interface StreamMetrics {

	/** Outcome tag values of {@code redis.patterns.stream.messages}. */
	String ACKED = "acked";

	String FAILED = "failed";

	String CLAIMED = "claimed";

	String DEAD_LETTERED = "dead-lettered";

	/** A replayed dead letter meant for another group, acknowledged without calling the listener. */
	String SKIPPED = "skipped";

	StreamMetrics NONE = new StreamMetrics() {
	};

	/** Every outcome tag value of {@code redis.patterns.stream.messages}. */
	List<String> OUTCOMES = List.of(ACKED, FAILED, CLAIMED, DEAD_LETTERED, SKIPPED);

	/**
	 * Called when a listener container is created, so that its group's meters exist at zero before the first
	 * entry and dashboards and alerts work from the start. Tags are those of the events.
	 */
	default void register(String stream, String group) {
	}

	default void message(String stream, String group, String outcome) {
	}

	/** {@code count} entries with one outcome (a batch acknowledged by one {@code XACK}). */
	default void messages(String stream, String group, String outcome, long count) {
		for (long i = 0; i < count; i++) {
			message(stream, group, outcome);
		}
	}

	default void handled(String stream, String group, boolean success, long nanos) {
	}

	default void published(String stream, boolean duplicate) {
	}

	/** A consumer group that had vanished was created again. */
	default void groupRecreated(String stream, String group) {
	}

	default <T> void groupGauges(String stream, String group, T source, ToDoubleFunction<T> pending,
			ToDoubleFunction<T> lag) {
	}

}
