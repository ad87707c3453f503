package io.redispatterns.lock;

import java.time.Duration;
import java.util.Locale;

/**
 * Receives what a {@link LockTemplate} does, for metrics. With Micrometer present the
 * auto-configuration records {@code redis.patterns.lock.acquire} (timer, tags {@code lock},
 * {@code result}), {@code redis.patterns.lock.held} (timer, tag {@code lock}) and
 * {@code redis.patterns.lock.lost} (counter, tag {@code lock}); otherwise {@link #NONE} is used.
 * The {@code lock} argument is always a logical name, never a lock name or key.
 */
public interface LockMetrics {

	/** Records nothing. */
	LockMetrics NONE = new LockMetrics() {
	};

	/**
	 * Called at start-up for every logical name known then (each {@code @DistributedLock} method), so that
	 * its meters exist at zero before the first event and dashboards and alerts work from the start.
	 * @param lock the logical name
	 */
	default void register(String lock) {
	}

	/**
	 * Called when an acquisition ends.
	 * @param lock the logical name
	 * @param result how it ended
	 * @param duration time spent, including waiting
	 */
	default void acquire(String lock, AcquireResult result, Duration duration) {
	}

	/**
	 * Called when a lease ends (released, left to expire for {@code holdAtLeast}, or found lost).
	 * @param lock the logical name
	 * @param duration time the lease was held
	 */
	default void held(String lock, Duration duration) {
	}

	/**
	 * Called when a renewal or the release finds that a lease was lost.
	 * @param lock the logical name
	 */
	default void lost(String lock) {
	}

	/**
	 * How an acquisition ended: the {@code result} tag.
	 */
	enum AcquireResult {

		/** The lock was acquired. */
		ACQUIRED,

		/** The lock was held by another owner and the caller did not wait. */
		BUSY,

		/** The lock stayed held by another owner for the whole wait. */
		TIMEOUT,

		/** Redis failed or could not be reached. */
		ERROR;

		/**
		 * Returns the tag value.
		 * @return {@code acquired}, {@code busy}, {@code timeout} or {@code error}
		 */
		public String tagValue() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
