package io.redispatterns.lock.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Renews leases while the work they guard runs: every third of the lease length, an
 * owner-checked extension back to the full lease. A renewal that finds the lock gone marks the
 * lease lost and stops; one that cannot reach Redis is retried at the next tick, and the lease
 * counts as lost once its local expiry passes without a successful renewal.
 * <p>
 * A small pool of daemon threads does the renewals. Nothing here holds a monitor while it talks
 * to Redis, so callers on virtual threads are never pinned by it.
 */
final class LockWatchdog implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LockWatchdog.class);

	private final ScheduledThreadPoolExecutor executor;

	LockWatchdog(int threads) {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, "redis-patterns-lock-watchdog-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.executor = new ScheduledThreadPoolExecutor(threads, factory);
		this.executor.setRemoveOnCancelPolicy(true);
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * Starts renewing a lease.
	 * @return a handle that stops the renewal
	 */
	Watch watch(RedisLockLease lease, Duration length) {
		long periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Durations.nanos(length) / 3);
		Watch watch = new Watch();
		ScheduledFuture<?> future = this.executor.scheduleWithFixedDelay(() -> renew(lease, length, watch),
				periodNanos, periodNanos, TimeUnit.NANOSECONDS);
		watch.future = future;
		if (watch.stopped) {
			future.cancel(false);
		}
		return watch;
	}

	private void renew(RedisLockLease lease, Duration length, Watch watch) {
		if (!watch.running.tryLock()) {
			return;
		}
		try {
			if (!watch.stopped) {
				renewOnce(lease, length, watch);
			}
		}
		finally {
			watch.running.unlock();
		}
	}

	private void renewOnce(RedisLockLease lease, Duration length, Watch watch) {
		try {
			if (!lease.renew(length)) {
				watch.stop();
			}
		}
		catch (RuntimeException ex) {
			if (lease.expiredLocally()) {
				logger.warn("Lock '" + lease.name() + "' could not be renewed before its lease ran out; treating it as lost", ex);
				lease.markLost();
				watch.stop();
			}
			else {
				logger.debug("Lock '" + lease.name() + "' renewal failed; retrying at the next tick", ex);
			}
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/**
	 * Stops the renewal of one lease.
	 */
	static final class Watch {

		private final ReentrantLock running = new ReentrantLock();

		private volatile boolean stopped;

		private volatile @Nullable ScheduledFuture<?> future;

		/**
		 * Stops renewing and waits for a renewal in flight (at most one command timeout), so that
		 * the lease's state is final when this returns.
		 */
		void stop() {
			this.stopped = true;
			ScheduledFuture<?> current = this.future;
			if (current != null) {
				current.cancel(false);
			}
			this.running.lock();
			this.running.unlock();
		}

	}

}
