package io.redispatterns.lock.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import io.redispatterns.lock.LockCallback;
import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockLostEvent;
import io.redispatterns.lock.LockLostException;
import io.redispatterns.lock.LockMetrics;
import io.redispatterns.lock.LockMetrics.AcquireResult;
import io.redispatterns.lock.LockNotAcquiredException;
import io.redispatterns.lock.LockOptions;
import io.redispatterns.lock.LockOutcomeUnknownException;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.LockUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The Redis implementation of {@link LockTemplate}.
 */
public final class RedisLockTemplate implements LockTemplate, AutoCloseable {

	static final String UNNAMED = "unnamed";

	private static final Log logger = LogFactory.getLog(RedisLockTemplate.class);

	private final LockCommands commands;

	private final LockKeys keys;

	private final LockSettings settings;

	private final LockMetrics metrics;

	private final LockWakeUps wakeUps;

	private final LockWatchdog watchdog;

	private final ApplicationEventPublisher events;

	private final ThreadLocal<Map<String, RedisLockView.Hold>> holds = ThreadLocal.withInitial(HashMap::new);

	private final Set<RedisLockLease> live = ConcurrentHashMap.newKeySet();

	private final OwnerTokens ownerTokens = new OwnerTokens();

	private final AtomicBoolean closed = new AtomicBoolean();

	RedisLockTemplate(LockCommands commands, LockKeys keys, LockSettings settings, LockMetrics metrics,
			LockWakeUps wakeUps, LockWatchdog watchdog, ApplicationEventPublisher events) {
		this.commands = commands;
		this.keys = keys;
		this.settings = settings;
		this.metrics = metrics;
		this.wakeUps = wakeUps;
		this.watchdog = watchdog;
		this.events = events;
	}

	public LockSettings settings() {
		return this.settings;
	}

	LockKeys keys() {
		return this.keys;
	}

	LockWatchdog watchdog() {
		return this.watchdog;
	}

	public LockWakeUps wakeUps() {
		return this.wakeUps;
	}

	/** Leases of this application that are still valid (expired ones are dropped here). */
	int heldLeases() {
		this.live.removeIf((lease) -> !lease.isValid());
		return this.live.size();
	}

	ThreadLocal<Map<String, RedisLockView.Hold>> holds() {
		return this.holds;
	}

	// ---- public API

	@Override
	public Optional<LockLease> tryAcquire(String name, Duration lease, Duration wait) {
		return tryAcquire(name, LockOptions.defaults().withLease(lease).withWait(wait));
	}

	@Override
	public Optional<LockLease> tryAcquire(String name, LockOptions options) {
		try {
			return Optional.ofNullable(acquire(name, lease(options), wait(options), true, logicalName(options)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	@Override
	public <T extends @Nullable Object> T executeWithLock(String name, LockOptions options, LockCallback<T> callback) {
		Duration lease = lease(options);
		Duration wait = wait(options);
		RedisLockLease acquired;
		try {
			acquired = acquire(name, lease, wait, true, logicalName(options));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockNotAcquiredException(name, wait, "Interrupted while waiting for lock '" + name + "'");
		}
		if (acquired == null) {
			throw new LockNotAcquiredException(name, wait);
		}
		boolean watchdogOn = (options.watchdog() != null) ? options.watchdog() : this.settings.watchdog();
		return runHolding(acquired, lease, watchdogOn, options.holdAtLeast(), () -> callback.doWithLock(acquired));
	}

	@Override
	public Lock asLock(String name, LockOptions options) {
		boolean watchdogOn = (options.watchdog() != null) ? options.watchdog() : this.settings.watchdog();
		return new RedisLockView(this, name, lease(options), watchdogOn, logicalName(options));
	}

	// ---- the work

	/**
	 * Runs work while holding a lease, renewing it, then releases it (or keeps it until
	 * {@code holdAtLeast}). A loss found meanwhile was reported when it was found (see
	 * {@link #leaseEnded}); it never turns the work's result into a failure, because the work ran.
	 */
	// NullAway: the result is null when the work failed (then it is never returned) or returned null, which
	// T extends @Nullable Object allows; NullAway sees that only in JSpecify mode, not available on JDK 17
	@SuppressWarnings("NullAway")
	<T extends @Nullable Object> T runHolding(RedisLockLease lease, Duration length, boolean watchdogOn,
			@Nullable Duration holdAtLeast, Supplier<T> work) {
		LockWatchdog.Watch watch = watchdogOn ? this.watchdog.watch(lease, length) : null;
		T result = null;
		Throwable failure = null;
		try {
			result = work.get();
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			if (watch != null) {
				watch.stop();
			}
		}
		boolean lost = lease.isLost();
		if (!lost && !lease.isReleased()) {
			try {
				lost = !finish(lease, holdAtLeast);
			}
			catch (LockUnavailableException | LockOutcomeUnknownException ex) {
				logger.warn("Lock '" + lease.name() + "' could not be released; it expires at the end of its lease", ex);
			}
		}
		if (lost && failure != null) {
			failure.addSuppressed(new LockLostException(lease.name(), lostMessage(lease)));
		}
		if (failure != null) {
			throwUnchecked(failure);
		}
		return result;
	}

	private boolean finish(RedisLockLease lease, @Nullable Duration holdAtLeast) {
		if (holdAtLeast != null && !holdAtLeast.isZero()) {
			long keepNanos = Durations.nanos(holdAtLeast) - (System.nanoTime() - lease.acquiredNanos());
			if (keepNanos >= TimeUnit.MILLISECONDS.toNanos(1)) {
				return lease.releaseAfter(Duration.ofNanos(keepNanos));
			}
		}
		return lease.release();
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> void throwUnchecked(Throwable ex) throws E {
		throw (E) ex;
	}

	/**
	 * Acquires a lock, waiting at most {@code wait}.
	 * @return the lease, or {@code null} when the lock stayed busy
	 * @throws InterruptedException only when {@code interruptible} and the thread was interrupted
	 */
	@Nullable RedisLockLease acquire(String name, Duration lease, Duration wait, boolean interruptible,
			String logicalName) throws InterruptedException {
		long start = System.nanoTime();
		String token = this.ownerTokens.next();
		LockKeys.Key key = this.keys.of(name);
		boolean interrupted = false;
		try {
			boolean forever = Durations.nanos(wait) == Long.MAX_VALUE;
			Attempt attempt = attempt(name, key, token, lease, logicalName, start, Durations.nanos(wait), false);
			if (attempt.lease != null || wait.isZero()) {
				if (attempt.lease == null) {
					this.metrics.acquire(logicalName, AcquireResult.BUSY, Duration.ofNanos(System.nanoTime() - start));
				}
				return attempt.lease;
			}
			long deadline = start + Durations.nanos(wait);
			try (LockWakeUps.Waiter waiter = this.wakeUps.register(key.channel())) {
				try {
					long left = forever ? Long.MAX_VALUE : deadline - System.nanoTime();
					waiter.awaitSubscribed(Duration.ofNanos(Math.max(1,
							Math.min(left, Durations.nanos(this.settings.commandTimeout())))));
				}
				catch (InterruptedException ex) {
					if (interruptible) {
						throw ex;
					}
					interrupted = true;
				}
				while (true) {
					attempt = attempt(name, key, token, lease, logicalName, start,
							forever ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime()), true);
					if (attempt.lease != null) {
						return attempt.lease;
					}
					long left = forever ? Long.MAX_VALUE : deadline - System.nanoTime();
					if (left <= 0) {
						this.metrics.acquire(logicalName, AcquireResult.TIMEOUT,
								Duration.ofNanos(System.nanoTime() - start));
						return null;
					}
					long pause = Math.min(left, jitteredPollNanos());
					if (attempt.holderTtlMillis >= 0) {
						pause = Math.min(pause, TimeUnit.MILLISECONDS.toNanos(attempt.holderTtlMillis + 1));
					}
					try {
						waiter.await(pause);
					}
					catch (InterruptedException ex) {
						if (interruptible) {
							this.metrics.acquire(logicalName, AcquireResult.TIMEOUT,
									Duration.ofNanos(System.nanoTime() - start));
							throw ex;
						}
						interrupted = true;
					}
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private long jitteredPollNanos() {
		long poll = Durations.nanos(this.settings.fallbackPoll());
		return poll / 2 + ThreadLocalRandom.current().nextLong(poll / 2 + 1);
	}

	private Attempt attempt(String name, LockKeys.Key key, String token, Duration lease, String logicalName,
			long start, long waitNanos, boolean waited) {
		long sent = System.nanoTime();
		List<?> result;
		try {
			result = this.commands.acquire(name, key, token, lease, waitNanos, waited);
		}
		catch (LockOutcomeUnknownException ex) {
			this.metrics.acquire(logicalName, AcquireResult.ERROR, Duration.ofNanos(System.nanoTime() - start));
			throw this.commands.cleanUpUnknownAcquisition(name, key, token, lease, ex);
		}
		catch (RuntimeException ex) {
			this.metrics.acquire(logicalName, AcquireResult.ERROR, Duration.ofNanos(System.nanoTime() - start));
			throw ex;
		}
		long acquired = ((Number) result.get(0)).longValue();
		long value = ((Number) result.get(1)).longValue();
		if (acquired != 1) {
			return new Attempt(null, value);
		}
		// The lease's owner token is the value the lock holds: the id plus the fencing token.
		RedisLockLease granted = new RedisLockLease(this, name, key, token + " " + value, value, logicalName, sent,
				lease);
		this.live.add(granted);
		this.metrics.acquire(logicalName, AcquireResult.ACQUIRED, Duration.ofNanos(System.nanoTime() - start));
		return new Attempt(granted, -1);
	}

	boolean release(RedisLockLease lease) {
		return this.commands.release(lease.name(), lease.key(), lease.ownerToken());
	}

	boolean extend(RedisLockLease lease, Duration length) {
		return this.commands.extend(lease.name(), lease.key(), lease.ownerToken(), length);
	}

	/**
	 * Called once when a lease ends: released, kept for its minimum hold time, or lost.
	 */
	void leaseEnded(RedisLockLease lease, boolean lost) {
		this.live.remove(lease);
		this.metrics.held(lease.logicalName(), Duration.ofNanos(System.nanoTime() - lease.acquiredNanos()));
		if (lost) {
			this.metrics.lost(lease.logicalName());
			logger.warn(lostMessage(lease));
			try {
				this.events.publishEvent(new LockLostEvent(this, lease.name(), lease.logicalName(), lease.fencingToken()));
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of LockLostEvent failed", ex);
			}
		}
	}

	private static String lostMessage(RedisLockLease lease) {
		return "Lock '" + lease.name() + "' (fencing token " + lease.fencingToken()
				+ ") was lost while held: it expired or was taken by another owner";
	}

	Duration lease(LockOptions options) {
		return (options.lease() != null) ? options.lease() : this.settings.defaultLease();
	}

	Duration wait(LockOptions options) {
		return (options.waitFor() != null) ? options.waitFor() : this.settings.defaultWait();
	}

	static String logicalName(LockOptions options) {
		return (options.logicalName() != null) ? options.logicalName() : UNNAMED;
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			// closed when the application stopped (before the connection factory), then again when destroyed
			return;
		}
		this.watchdog.close();
		this.wakeUps.close();
		this.commands.close();
	}

	private record Attempt(@Nullable RedisLockLease lease, long holderTtlMillis) {
	}

}
