package io.redispatterns.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Stops callers from waiting a full command timeout while Redis is known to be down: after
 * {@code threshold} consecutive failures the breaker opens for {@code openFor}; then one probe
 * call is let through (half-open) and its outcome closes or re-opens the breaker.
 */
final class CircuitBreaker {

	enum State {

		CLOSED, OPEN, HALF_OPEN

	}

	private final int threshold;

	private final long openForNanos;

	private final LongSupplier nanoClock;

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicBoolean probing = new AtomicBoolean();

	private volatile long openUntil;

	private volatile boolean open;

	CircuitBreaker(int threshold, Duration openFor) {
		this(threshold, openFor, System::nanoTime);
	}

	CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoClock) {
		this.threshold = Math.max(1, threshold);
		this.openForNanos = openFor.toNanos();
		this.nanoClock = nanoClock;
	}

	/** Whether a Redis call may be made now. */
	boolean allow() {
		if (!this.open) {
			return true;
		}
		if (this.nanoClock.getAsLong() - this.openUntil < 0) {
			return false;
		}
		return this.probing.compareAndSet(false, true);
	}

	void success() {
		this.consecutiveFailures.set(0);
		if (this.open) {
			this.open = false;
			this.probing.set(false);
		}
	}

	void failure() {
		int failures = this.consecutiveFailures.incrementAndGet();
		if (failures >= this.threshold || this.probing.get()) {
			this.openUntil = this.nanoClock.getAsLong() + this.openForNanos;
			this.open = true;
			this.probing.set(false);
		}
	}

	State state() {
		if (!this.open) {
			return State.CLOSED;
		}
		return (this.nanoClock.getAsLong() - this.openUntil < 0) ? State.OPEN : State.HALF_OPEN;
	}

}
