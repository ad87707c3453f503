package io.redispatterns.lock.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import io.redispatterns.lock.LockOptions;
import org.jspecify.annotations.Nullable;

/**
 * The thread-bound, reentrant {@link Lock} view of a distributed lock. The hold count lives in a
 * thread-local map of the template, so every view of one name shares it.
 */
final class RedisLockView implements Lock {

	private final RedisLockTemplate template;

	private final String name;

	private final Duration lease;

	private final boolean watchdog;

	private final String logicalName;

	RedisLockView(RedisLockTemplate template, String name, Duration lease, boolean watchdog, String logicalName) {
		this.template = template;
		this.name = name;
		this.lease = lease;
		this.watchdog = watchdog;
		this.logicalName = logicalName;
	}

	@Override
	public void lock() {
		if (reenter()) {
			return;
		}
		try {
			hold(this.template.acquire(this.name, this.lease, LockOptions.WAIT_FOREVER, false, this.logicalName));
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException("Uninterruptible acquisition was interrupted", ex);
		}
	}

	@Override
	public void lockInterruptibly() throws InterruptedException {
		if (Thread.interrupted()) {
			throw new InterruptedException();
		}
		if (reenter()) {
			return;
		}
		hold(this.template.acquire(this.name, this.lease, LockOptions.WAIT_FOREVER, true, this.logicalName));
	}

	@Override
	public boolean tryLock() {
		if (reenter()) {
			return true;
		}
		try {
			return hold(this.template.acquire(this.name, this.lease, Duration.ZERO, true, this.logicalName));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
		if (Thread.interrupted()) {
			throw new InterruptedException();
		}
		if (reenter()) {
			return true;
		}
		Duration wait = (time <= 0) ? Duration.ZERO : Duration.ofNanos(unit.toNanos(time));
		return hold(this.template.acquire(this.name, this.lease, wait, true, this.logicalName));
	}

	@Override
	public void unlock() {
		Map<String, Hold> holds = this.template.holds().get();
		Hold hold = holds.get(this.name);
		if (hold == null) {
			throw new IllegalMonitorStateException(
					"Lock '" + this.name + "' is not held by the current thread (" + Thread.currentThread().getName() + ")");
		}
		if (--hold.count > 0) {
			return;
		}
		holds.remove(this.name);
		if (hold.watch != null) {
			hold.watch.stop();
		}
		// A loss (found now or earlier by the watchdog) is reported as a LockLostEvent, not thrown:
		// the work between lock() and unlock() has run.
		if (!hold.lease.isLost()) {
			hold.lease.release();
		}
	}

	@Override
	public Condition newCondition() {
		throw new UnsupportedOperationException("Conditions are not supported by distributed locks");
	}

	private boolean reenter() {
		Hold hold = this.template.holds().get().get(this.name);
		if (hold == null) {
			return false;
		}
		hold.count++;
		return true;
	}

	private boolean hold(@Nullable RedisLockLease lease) {
		if (lease == null) {
			return false;
		}
		LockWatchdog.Watch watch = this.watchdog ? this.template.watchdog().watch(lease, this.lease) : null;
		this.template.holds().get().put(this.name, new Hold(lease, watch));
		return true;
	}

	@Override
	public String toString() {
		return "RedisLockView[" + this.name + "]";
	}

	/**
	 * One thread's hold on a lock.
	 */
	static final class Hold {

		private final RedisLockLease lease;

		private final LockWatchdog.@Nullable Watch watch;

		private int count = 1;

		Hold(RedisLockLease lease, LockWatchdog.@Nullable Watch watch) {
			this.lease = lease;
			this.watch = watch;
		}

	}

}
