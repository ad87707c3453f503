package io.redispatterns.idempotency;

import java.util.Locale;

/**
 * What an {@link Idempotent @Idempotent} handler does when Redis cannot claim the key (down,
 * unreachable, timed out). Either way the failure is logged (rate-limited) and counted as
 * {@code outcome=unavailable}.
 */
public enum IdempotencyFailureMode {

	/** {@code fail-closed}: answer {@code 503} with {@code Retry-After} and a problem body. */
	FAIL_CLOSED,

	/** {@code fail-open}: run the handler without idempotency protection. */
	FAIL_OPEN;

	/**
	 * Returns the configuration value.
	 * @return {@code fail-closed} or {@code fail-open}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
