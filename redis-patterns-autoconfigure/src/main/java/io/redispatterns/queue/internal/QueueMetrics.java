package io.redispatterns.queue.internal;

import java.util.Collection;
import java.util.List;
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

	/** Every outcome tag value of {@code redis.patterns.queue.jobs}. */
	List<String> OUTCOMES = List.of(COMPLETED, FAILED, RETRIED, DEAD, STALLED);

	/**
	 * Called when a queue's worker container is created, so that its meters exist at zero before the first job
	 * and dashboards and alerts work from the start. Tags are those of the events.
	 * @param queue the queue
	 * @param names the job names the queue has handlers for
	 */
	default void register(String queue, Collection<String> names) {
	}

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
