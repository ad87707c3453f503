package io.redispatterns.lock;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How one lock is acquired and held. Unset ({@code null}) values fall back to
 * {@code redis-patterns.lock.*}; every {@code withXxx} returns a new instance.
 *
 * @param lease how long the lock is held unless extended (the watchdog extends it every third
 * of this length while a callback runs); {@code null} for {@code redis-patterns.lock.lease}
 * @param waitFor how long to wait for a busy lock ({@code wait} is taken by {@code Object}), {@link Duration#ZERO} for a single attempt,
 * {@link #WAIT_FOREVER} for no limit; {@code null} for {@code redis-patterns.lock.wait-for}
 * @param watchdog whether the lease is renewed while the callback runs; {@code null} for
 * {@code redis-patterns.lock.watchdog.enabled}
 * @param holdAtLeast minimum time the lock stays held after it was acquired, even when the
 * callback finishes sooner (the lock is then left to expire instead of being released), so that a
 * fast job does not run once per instance; {@code null} or zero to release at once
 * @param logicalName low-cardinality name used as the {@code lock} tag of the metrics (for
 * example {@code inventory} for the locks {@code inventory:<sku>}); never derived from the lock
 * name itself; {@code null} for {@code unnamed}
 */
public record LockOptions(@Nullable Duration lease, @Nullable Duration waitFor, @Nullable Boolean watchdog,
		@Nullable Duration holdAtLeast, @Nullable String logicalName) {

	/** A {@link #waitFor()} without limit. */
	public static final Duration WAIT_FOREVER = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

	private static final LockOptions DEFAULTS = new LockOptions(null, null, null, null, null);

	/**
	 * Validates the values.
	 * @param lease the lease, positive when set
	 * @param waitFor the wait, zero or positive when set
	 * @param watchdog whether to renew
	 * @param holdAtLeast the minimum hold time, zero or positive when set
	 * @param logicalName the metrics name, not blank when set
	 */
	public LockOptions {
		if (lease != null && (lease.isNegative() || lease.isZero() || lease.toMillis() < 1)) {
			throw new IllegalArgumentException("Lock lease must be at least 1ms, was " + lease);
		}
		if (waitFor != null && waitFor.isNegative()) {
			throw new IllegalArgumentException("Lock wait must not be negative, was " + waitFor);
		}
		if (holdAtLeast != null && holdAtLeast.isNegative()) {
			throw new IllegalArgumentException("Lock holdAtLeast must not be negative, was " + holdAtLeast);
		}
		if (logicalName != null && logicalName.isBlank()) {
			throw new IllegalArgumentException("Lock logical name must not be blank");
		}
	}

	/**
	 * Returns options that use the configured defaults for everything.
	 * @return the default options
	 */
	public static LockOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Returns a copy with the given lease.
	 * @param lease the lease (at least 1ms)
	 * @return the new options
	 */
	public LockOptions withLease(Duration lease) {
		return new LockOptions(lease, this.waitFor, this.watchdog, this.holdAtLeast, this.logicalName);
	}

	/**
	 * Returns a copy with the given wait.
	 * @param wait how long to wait for a busy lock ({@link Duration#ZERO} for one attempt)
	 * @return the new options
	 */
	public LockOptions withWait(Duration wait) {
		return new LockOptions(this.lease, wait, this.watchdog, this.holdAtLeast, this.logicalName);
	}

	/**
	 * Returns a copy that waits without limit for a busy lock.
	 * @return the new options
	 */
	public LockOptions withWaitForever() {
		return withWait(WAIT_FOREVER);
	}

	/**
	 * Returns a copy with the watchdog switched on or off.
	 * @param watchdog whether the lease is renewed while the callback runs
	 * @return the new options
	 */
	public LockOptions withWatchdog(boolean watchdog) {
		return new LockOptions(this.lease, this.waitFor, watchdog, this.holdAtLeast, this.logicalName);
	}

	/**
	 * Returns a copy with the given minimum hold time.
	 * @param holdAtLeast minimum time the lock stays held after acquisition
	 * @return the new options
	 */
	public LockOptions withHoldAtLeast(Duration holdAtLeast) {
		return new LockOptions(this.lease, this.waitFor, this.watchdog, holdAtLeast, this.logicalName);
	}

	/**
	 * Returns a copy with the given logical name (the metrics' {@code lock} tag).
	 * @param logicalName a low-cardinality name such as {@code inventory}
	 * @return the new options
	 */
	public LockOptions withLogicalName(String logicalName) {
		return new LockOptions(this.lease, this.waitFor, this.watchdog, this.holdAtLeast, logicalName);
	}

}
