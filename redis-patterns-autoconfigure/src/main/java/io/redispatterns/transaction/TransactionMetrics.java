package io.redispatterns.transaction;

import java.time.Duration;

/**
 * Receives transaction events for metrics.
 */
public interface TransactionMetrics {

	/** Records nothing. */
	TransactionMetrics NONE = new TransactionMetrics() {
	};

	/**
	 * Records a finished transaction.
	 * @param result {@code committed}, {@code read-only}, {@code exhausted}, {@code unavailable},
	 * {@code outcome-unknown} or {@code error}
	 * @param attempts how many attempts it took
	 * @param duration how long it took, back-offs included
	 */
	default void transaction(String result, int attempts, Duration duration) {
	}

	/**
	 * Records an attempt whose {@code EXEC} was refused because a watched key changed.
	 */
	default void conflict() {
	}

}
