package io.redispatterns.queue.internal;

import java.util.function.ToDoubleFunction;

/**
 * Internal: what the job queue records. The Micrometer implementation lives in the auto-configuration and is
 * used only when Micrometer is present.
 */
public interface QueueMetrics {

	/** Outcome tag values of {@code redis.patterns.queue.jobs}. */
	String COMPLETED = "completed";

	String FAILED = "failed";

	String RETRIED = "retried";

	String DEAD = "dead";

	String STALLED = "stalled";

	QueueMetrics NONE = new QueueMetrics() {
	};

	default void job(String queue, String outcome) {
	}

	default void enqueued(String queue, int count) {
	}

	default void handled(String queue, String name, boolean success, long nanos) {
	}

	default void waited(String queue, long millis) {
	}

	default <T> void depthGauge(String queue, String state, T source, ToDoubleFunction<T> depth) {
	}

}
