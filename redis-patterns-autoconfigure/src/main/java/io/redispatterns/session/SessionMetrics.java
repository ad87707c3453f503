package io.redispatterns.session;

/**
 * Receives the session repository's events worth counting. The auto-configuration records them
 * with Micrometer when a {@code MeterRegistry} bean exists; otherwise {@link #NONE} is used.
 */
public interface SessionMetrics {

	/** Metrics that record nothing. */
	SessionMetrics NONE = new SessionMetrics() {

		@Override
		public void revoked(RevocationReason reason, int count) {
		}

		@Override
		public void decodeFailure() {
		}

	};

	/**
	 * Called when sessions were revoked.
	 * @param reason why
	 * @param count how many sessions
	 */
	void revoked(RevocationReason reason, int count);

	/** Called when a stored session could not be decoded and was treated as absent. */
	void decodeFailure();

	/**
	 * Called when the sessions beyond {@code max-per-user} could not be deleted. They stay listed
	 * and revocable, and a later login evicts them. Does nothing by default.
	 */
	default void evictionFailure() {
	}

	/**
	 * Called when an encrypted attribute could not be decrypted (tampered with, or its key is no
	 * longer configured) and was dropped from the session. Does nothing by default.
	 * @param attributeName the attribute's name (a configured name, so low cardinality)
	 */
	default void attributeDropped(String attributeName) {
	}

}
