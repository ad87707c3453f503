package io.redispatterns.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Remembers that Redis is known to be down so that callers stop waiting a full timeout on
 * every request.
 * <ul>
 * <li>{@link State#CLOSED}: calls go to Redis; consecutive failures are counted, and the
 * {@code failureThreshold}-th one opens the breaker.</li>
 * <li>{@link State#OPEN}: {@link #tryAcquire()} answers {@code false} at once, so the caller
 * applies its failure mode without touching Redis, until {@code openDuration} has passed.</li>
 * <li>{@link State#HALF_OPEN}: one caller is let through as a probe; its success closes the
 * breaker, its failure opens it for another {@code openDuration}. Other callers are refused
 * while the probe runs.</li>
 * </ul>
 * Every caller that got {@code true} from {@link #tryAcquire()} must report
 * {@link #recordSuccess()}, {@link #recordFailure()} or {@link #release()}. Only Redis faults
 * (see {@link RedisFailures#isRedisFault(Throwable)}) should be recorded as failures: a breaker
 * that opens because the application itself is busy would turn overload into an outage. The
 * closed fast path takes no lock.
 */
public final class RedisCircuitBreaker {

	/** State of a breaker. */
	public enum State {

		/** Redis is believed up: calls go through. */
		CLOSED,

		/** Redis is known down: calls are skipped until the cool-down ends. */
		OPEN,

		/** Cool-down over: one probe call decides between closed and open. */
		HALF_OPEN

	}

	private final String name;

	private final int failureThreshold;

	private final long openNanos;

	private final LongSupplier nanoClock;

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private volatile State state = State.CLOSED;

	private long openedAt;

	/**
	 * Creates a breaker on the system's monotonic clock.
	 * @param name name used in logs and health details, such as {@code rate-limit}
	 * @param failureThreshold consecutive failures that open the breaker (at least 1)
	 * @param openDuration how long calls are skipped once open (positive)
	 */
	public RedisCircuitBreaker(String name, int failureThreshold, Duration openDuration) {
		this(name, failureThreshold, openDuration, System::nanoTime);
	}

	/**
	 * Creates a breaker on a given clock (for tests).
	 * @param name name used in logs and health details
	 * @param failureThreshold consecutive failures that open the breaker (at least 1)
	 * @param openDuration how long calls are skipped once open (positive)
	 * @param nanoClock monotonic clock in nanoseconds
	 */
	public RedisCircuitBreaker(String name, int failureThreshold, Duration openDuration, LongSupplier nanoClock) {
		if (failureThreshold < 1) {
			throw new IllegalArgumentException("failureThreshold must be at least 1");
		}
		if (openDuration.isNegative() || openDuration.isZero()) {
			throw new IllegalArgumentException("openDuration must be positive");
		}
		this.name = name;
		this.failureThreshold = failureThreshold;
		this.openNanos = openDuration.toNanos();
		this.nanoClock = nanoClock;
	}

	/**
	 * Asks whether a call may go to Redis now.
	 * @return {@code true} to call Redis (then report the outcome); {@code false} to skip it
	 */
	public boolean tryAcquire() {
		if (this.state == State.CLOSED) {
			return true;
		}
		synchronized (this) {
			if (this.state == State.OPEN && this.nanoClock.getAsLong() - this.openedAt >= this.openNanos) {
				this.state = State.HALF_OPEN;
				return true;
			}
			return this.state == State.CLOSED;
		}
	}

	/**
	 * Reports a successful call: closes the breaker and clears the failure count.
	 */
	public void recordSuccess() {
		if (this.state == State.CLOSED && this.consecutiveFailures.get() == 0) {
			return;
		}
		synchronized (this) {
			this.consecutiveFailures.set(0);
			this.state = State.CLOSED;
		}
	}

	/**
	 * Reports a failed call (error or timeout): counts it, and opens the breaker at the threshold
	 * or when the half-open probe failed.
	 */
	public void recordFailure() {
		int failures = this.consecutiveFailures.incrementAndGet();
		synchronized (this) {
			if (this.state == State.HALF_OPEN || (this.state == State.CLOSED && failures >= this.failureThreshold)) {
				this.state = State.OPEN;
				this.openedAt = this.nanoClock.getAsLong();
			}
		}
	}

	/**
	 * Gives back a permission from {@link #tryAcquire()} that was not used to call Redis, or whose
	 * call failed for a reason that says nothing about Redis (the caller's own timeout while the
	 * call still waited in a local queue, an interrupt, a rejected task). A half-open breaker then
	 * lets the next caller probe; a closed breaker is unaffected.
	 */
	public void release() {
		if (this.state != State.HALF_OPEN) {
			return;
		}
		synchronized (this) {
			if (this.state == State.HALF_OPEN) {
				this.state = State.OPEN;
				this.openedAt = this.nanoClock.getAsLong() - this.openNanos;
			}
		}
	}

	/**
	 * Returns the current state.
	 * @return the state
	 */
	public State state() {
		return this.state;
	}

	/**
	 * Returns the number of failures since the last success.
	 * @return the consecutive failure count
	 */
	public int consecutiveFailures() {
		return this.consecutiveFailures.get();
	}

	/**
	 * Returns the breaker's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	@Override
	public String toString() {
		return "RedisCircuitBreaker[" + this.name + ", " + this.state + ", failures=" + consecutiveFailures() + "]";
	}

}
