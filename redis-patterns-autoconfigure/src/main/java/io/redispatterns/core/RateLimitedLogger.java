package io.redispatterns.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Logs a recurring failure at most once per interval, so that an outage does not write one
 * line (and one stack trace) per request. Messages arriving within the interval are counted;
 * the next one that is written says how many were suppressed:
 * {@code "Rate limiter cannot reach Redis (41 similar messages suppressed in the last 10s)"}.
 * Thread-safe and lock-free.
 */
public final class RateLimitedLogger {

	private final Log log;

	private final long intervalNanos;

	private final LongSupplier nanoClock;

	private final AtomicLong nextLogAt;

	private final AtomicLong suppressed = new AtomicLong();

	/**
	 * Creates a logger on the system's monotonic clock.
	 * @param log where lines are written
	 * @param interval least time between two written lines (positive)
	 */
	public RateLimitedLogger(Log log, Duration interval) {
		this(log, interval, System::nanoTime);
	}

	/**
	 * Creates a logger on a given clock (for tests).
	 * @param log where lines are written
	 * @param interval least time between two written lines (positive)
	 * @param nanoClock monotonic clock in nanoseconds
	 */
	public RateLimitedLogger(Log log, Duration interval, LongSupplier nanoClock) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("interval must be positive");
		}
		this.log = log;
		this.intervalNanos = interval.toNanos();
		this.nanoClock = nanoClock;
		this.nextLogAt = new AtomicLong(nanoClock.getAsLong());
	}

	/**
	 * Logs a warning unless one was written within the interval.
	 * @param message the message
	 * @param failure the cause, logged with its stack trace when a line is written
	 * @return {@code true} when a line was written
	 */
	public boolean warn(String message, @Nullable Throwable failure) {
		long now = this.nanoClock.getAsLong();
		long next = this.nextLogAt.get();
		if (now - next < 0 || !this.nextLogAt.compareAndSet(next, now + this.intervalNanos)) {
			this.suppressed.incrementAndGet();
			return false;
		}
		long count = this.suppressed.getAndSet(0);
		String line = (count > 0) ? message + " (" + count + " similar messages suppressed in the last "
				+ Duration.ofNanos(this.intervalNanos).toString().substring(2).toLowerCase(java.util.Locale.ROOT) + ")"
				: message;
		if (failure != null) {
			this.log.warn(line, failure);
		}
		else {
			this.log.warn(line);
		}
		return true;
	}

	/**
	 * Returns how many messages were suppressed since the last written line.
	 * @return the suppressed count
	 */
	public long suppressedCount() {
		return this.suppressed.get();
	}

}
