package io.redispatterns.idempotency;

import java.util.Locale;

/**
 * Receives what idempotent requests did; the Micrometer implementation publishes
 * {@code redis.patterns.idempotency.requests{name,outcome}} and
 * {@code redis.patterns.idempotency.store.failures{name}} and
 * {@code redis.patterns.idempotency.lease.renewals{name}}.
 */
public interface IdempotencyMetrics {

	/** Metrics that record nothing. */
	IdempotencyMetrics NONE = new IdempotencyMetrics() {
		@Override
		public void request(String name, Outcome outcome) {
		}

		@Override
		public void storeFailed(String name) {
		}

		@Override
		public void leaseRenewed(String name) {
		}
	};

	/**
	 * Called at start-up for every {@code @Idempotent} handler's name, so that its meters exist at zero before
	 * the first request and dashboards and alerts work from the start. Does nothing by default.
	 * @param name the handler's idempotency name
	 */
	default void register(String name) {
	}

	/**
	 * Records one request that carried an idempotency key.
	 * @param name the handler's idempotency name
	 * @param outcome what happened
	 */
	void request(String name, Outcome outcome);

	/**
	 * Records a response that could not be stored or a key that could not be released (Redis
	 * failed after the handler ran); a retry after the lease runs the handler again.
	 * @param name the handler's idempotency name
	 */
	void storeFailed(String name);

	/**
	 * Records one renewal of the in-progress marker of a request that runs longer than a third of
	 * the lease.
	 * @param name the handler's idempotency name
	 */
	void leaseRenewed(String name);

	/** What happened to a request with an idempotency key. */
	enum Outcome {

		/** The key was new: the handler ran. */
		FIRST,

		/** The stored response was replayed. */
		REPLAYED,

		/** The key's first request was still running: {@code 409}. */
		CONFLICT,

		/** The key was used for a different request: {@code 422}. */
		MISMATCH,

		/** Redis could not claim the key: {@code 503}, or processed unprotected when failing open. */
		UNAVAILABLE;

		/**
		 * Returns the tag value.
		 * @return such as {@code replayed}
		 */
		public String value() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
