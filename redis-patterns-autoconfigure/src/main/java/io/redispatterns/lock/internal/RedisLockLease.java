package io.redispatterns.lock.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.lock.LockLease;

/**
 * A lease on a Redis lock, identified by its random owner token.
 */
final class RedisLockLease implements LockLease {

	private static final int HELD = 0;

	private static final int RELEASED = 1;

	private static final int LOST = 2;

	private final RedisLockTemplate template;

	private final String name;

	private final LockKeys.Key key;

	private final String ownerToken;

	private final long fencingToken;

	private final String logicalName;

	private final long acquiredNanos;

	private final AtomicInteger state = new AtomicInteger(HELD);

	private volatile long expiresNanos;

	RedisLockLease(RedisLockTemplate template, String name, LockKeys.Key key, String ownerToken, long fencingToken,
			String logicalName, long sentNanos, Duration lease) {
		this.template = template;
		this.name = name;
		this.key = key;
		this.ownerToken = ownerToken;
		this.fencingToken = fencingToken;
		this.logicalName = logicalName;
		this.acquiredNanos = sentNanos;
		this.expiresNanos = sentNanos + Durations.nanos(lease);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public long fencingToken() {
		return this.fencingToken;
	}

	@Override
	public String ownerToken() {
		return this.ownerToken;
	}

	LockKeys.Key key() {
		return this.key;
	}

	String logicalName() {
		return this.logicalName;
	}

	long acquiredNanos() {
		return this.acquiredNanos;
	}

	@Override
	public Duration remaining() {
		if (this.state.get() != HELD) {
			return Duration.ZERO;
		}
		long left = this.expiresNanos - System.nanoTime();
		return (left > 0) ? Duration.ofNanos(left) : Duration.ZERO;
	}

	boolean expiredLocally() {
		return this.expiresNanos - System.nanoTime() <= 0;
	}

	@Override
	public boolean isValid() {
		return this.state.get() == HELD && !expiredLocally();
	}

	boolean isReleased() {
		return this.state.get() == RELEASED;
	}

	boolean isLost() {
		return this.state.get() == LOST;
	}

	@Override
	public boolean extend(Duration lease) {
		if (lease.isNegative() || lease.toMillis() < 1) {
			throw new IllegalArgumentException("Lock lease must be at least 1ms, was " + lease);
		}
		return renew(lease);
	}

	/**
	 * Owner-checked extension; marks the lease lost when the lock is no longer ours.
	 */
	boolean renew(Duration lease) {
		if (this.state.get() != HELD) {
			return false;
		}
		long sent = System.nanoTime();
		if (this.template.extend(this, lease)) {
			this.expiresNanos = sent + Durations.nanos(lease);
			return true;
		}
		markLost();
		return false;
	}

	/**
	 * Marks the lease lost (once): counted and timed.
	 */
	void markLost() {
		if (this.state.compareAndSet(HELD, LOST)) {
			this.template.leaseEnded(this, true);
		}
	}

	@Override
	public boolean release() {
		if (!this.state.compareAndSet(HELD, RELEASED)) {
			return false;
		}
		boolean released;
		try {
			released = this.template.release(this);
		}
		catch (RuntimeException ex) {
			this.template.leaseEnded(this, false);
			throw ex;
		}
		this.template.leaseEnded(this, !released);
		return released;
	}

	/**
	 * Ends the lease without deleting the lock: it expires {@code keepFor} from now (owner-checked).
	 * @return whether the lock was still ours
	 */
	boolean releaseAfter(Duration keepFor) {
		if (!this.state.compareAndSet(HELD, RELEASED)) {
			return false;
		}
		boolean kept;
		try {
			kept = this.template.extend(this, keepFor);
		}
		catch (RuntimeException ex) {
			this.template.leaseEnded(this, false);
			throw ex;
		}
		this.template.leaseEnded(this, !kept);
		return kept;
	}

	@Override
	public String toString() {
		return "LockLease[name=" + this.name + ", fencingToken=" + this.fencingToken + ", valid=" + isValid() + "]";
	}

}
