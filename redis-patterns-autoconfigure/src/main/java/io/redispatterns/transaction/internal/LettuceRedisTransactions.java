package io.redispatterns.transaction.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.TransactionResult;
import io.redispatterns.core.RedisFailureKind;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisOutcomeUnknownException;
import io.redispatterns.core.RedisUnavailableException;
import io.redispatterns.transaction.RedisTransactions;
import io.redispatterns.transaction.TransactionMetrics;
import io.redispatterns.transaction.TransactionSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link RedisTransactions} on dedicated Lettuce connections of a client built like the application's
 * {@link LettuceConnectionFactory} client, but one that never reconnects: a dropped connection fails
 * its transaction with {@link RedisUnavailableException} (before {@code EXEC} was sent: nothing
 * applied) or {@link RedisOutcomeUnknownException} (after), never re-sends its commands outside the
 * {@code MULTI} or without the {@code WATCH}.
 */
public final class LettuceRedisTransactions implements RedisTransactions, DisposableBean {

	private final LettuceConnectionFactory connectionFactory;

	private final TransactionSettings settings;

	private final TransactionMetrics metrics;

	private volatile @Nullable DedicatedConnections connections;

	/** Guarded by {@code this}: no pool is created once destroyed. */
	private boolean destroyed;

	private final AtomicLong committed = new AtomicLong();

	private final AtomicLong conflicts = new AtomicLong();

	private final AtomicLong exhausted = new AtomicLong();

	/**
	 * Creates the transactions; connections are opened on first use.
	 * @param connectionFactory the application's connection factory
	 * @param settings the settings
	 * @param metrics where metrics go
	 */
	public LettuceRedisTransactions(LettuceConnectionFactory connectionFactory, TransactionSettings settings,
			TransactionMetrics metrics) {
		this.connectionFactory = connectionFactory;
		this.settings = settings;
		this.metrics = metrics;
	}

	/**
	 * Returns the settings.
	 * @return the settings
	 */
	public TransactionSettings settings() {
		return this.settings;
	}

	/**
	 * Returns counts since start-up: {@code committed}, {@code conflicts} (refused {@code EXEC}s) and
	 * {@code exhausted} (transactions that gave up).
	 * @return the counts
	 */
	public java.util.Map<String, Long> counts() {
		return java.util.Map.of("committed", this.committed.get(), "conflicts", this.conflicts.get(), "exhausted",
				this.exhausted.get());
	}

	@Override
	public <T> T optimistic(Collection<String> keys, TransactionCallback<T> callback) {
		if (keys.isEmpty()) {
			throw new IllegalArgumentException("An optimistic transaction watches at least one key");
		}
		DedicatedConnections pool = connections();
		int slot = pool.isCluster() ? DedicatedConnections.slotOf(keys) : -1;
		String[] watched = keys.toArray(String[]::new);
		long start = System.nanoTime();
		int attempt = 0;
		String result = "error";
		try {
			while (true) {
				attempt++;
				Attempt<T> outcome = attempt(pool, slot, watched, callback, attempt);
				if (outcome.committed) {
					result = outcome.readOnly ? "read-only" : "committed";
					this.committed.incrementAndGet();
					return outcome.value;
				}
				this.conflicts.incrementAndGet();
				this.metrics.conflict();
				if (attempt >= this.settings.maxAttempts()) {
					result = "exhausted";
					this.exhausted.incrementAndGet();
					throw new OptimisticLockingFailureException("Optimistic transaction over " + keys + " met a conflict in "
							+ "each of its " + attempt + " attempts (redis-patterns.transaction.max-attempts)");
				}
				backOff(attempt);
			}
		}
		catch (RuntimeException ex) {
			if (!"exhausted".equals(result)) {
				RedisFailureKind kind = RedisFailures.classify(ex);
				result = switch (kind) {
					case UNAVAILABLE -> "unavailable";
					case OUTCOME_UNKNOWN -> "outcome-unknown";
					case NOT_REDIS -> "error";
				};
			}
			throw ex;
		}
		finally {
			this.metrics.transaction(result, attempt, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	private <T> Attempt<T> attempt(DedicatedConnections pool, int slot, String[] watched, TransactionCallback<T> callback,
			int attempt) {
		DedicatedConnections.Lease lease = watching(pool, slot, watched);
		boolean broken = true;
		boolean execSent = false;
		try {
			QueuedTransaction transaction = new QueuedTransaction(lease.commands, attempt);
			T value;
			try {
				value = callback.run(transaction);
			}
			catch (RuntimeException ex) {
				if (RedisFailures.classify(ex) == RedisFailureKind.NOT_REDIS) {
					lease.commands.unwatch();
					broken = false;
				}
				throw ex;
			}
			if (transaction.writes.isEmpty()) {
				lease.commands.unwatch();
				broken = false;
				return new Attempt<>(true, true, value);
			}
			if (slot >= 0) {
				List<String> all = new ArrayList<>(List.of(watched));
				all.addAll(transaction.writtenKeys);
				DedicatedConnections.slotOf(all);
			}
			lease.commands.multi();
			transaction.writes.forEach((write) -> write.accept(lease.commands));
			execSent = true;
			TransactionResult result = lease.commands.exec();
			broken = false;
			return new Attempt<>(!result.wasDiscarded(), false, value);
		}
		catch (IllegalArgumentException ex) {
			lease.commands.unwatch();
			broken = false;
			throw ex;
		}
		catch (RuntimeException ex) {
			throw execSent ? afterExec(ex) : beforeExec(ex);
		}
		finally {
			lease.release(broken);
		}
	}

	/**
	 * Borrows a connection and watches the keys on it. An idle connection that Redis closed (a restart, a
	 * failover) may look open until the client reads the close: its {@code WATCH} fails, and because a
	 * {@code WATCH} changes no data it is sent again on a new connection rather than failing the transaction.
	 */
	private static DedicatedConnections.Lease watching(DedicatedConnections pool, int slot, String[] watched) {
		DedicatedConnections.Lease lease = pool.borrow(slot);
		try {
			lease.commands.watch(watched);
			return lease;
		}
		catch (RuntimeException ex) {
			lease.release(true);
			// a timeout means a slow Redis, not a dead connection: waiting again would double the caller's wait
			if (!lease.reused || RedisFailures.classify(ex) == RedisFailureKind.NOT_REDIS
					|| isTimeout(ex)) {
				throw beforeExec(ex);
			}
		}
		DedicatedConnections.Lease fresh = pool.borrow(slot, true);
		try {
			fresh.commands.watch(watched);
			return fresh;
		}
		catch (RuntimeException ex) {
			fresh.release(true);
			throw beforeExec(ex);
		}
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof RedisCommandTimeoutException || cause instanceof QueryTimeoutException
					|| cause instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A failure before {@code EXEC} was sent: only {@code WATCH}, reads and queued writes went out,
	 * and the server drops the queue with the connection, which never reconnects to re-send them.
	 */
	private static RuntimeException beforeExec(RuntimeException ex) {
		if (ex instanceof RedisUnavailableException || ex instanceof RedisOutcomeUnknownException
				|| RedisFailures.classify(ex) == RedisFailureKind.NOT_REDIS) {
			return ex;
		}
		return new RedisUnavailableException("Optimistic transaction failed before its EXEC was sent, nothing was "
				+ "applied (" + RedisFailures.rootMessage(ex) + ")", ex);
	}

	/**
	 * A failure of {@code EXEC}: refused or rejected before it ran (nothing applied), or no answer
	 * after it was sent (it may have run).
	 */
	private static RuntimeException afterExec(RuntimeException ex) {
		return switch (RedisFailures.classify(ex)) {
			case UNAVAILABLE -> RedisFailures.translate("Optimistic transaction", ex);
			case OUTCOME_UNKNOWN -> (ex instanceof RedisOutcomeUnknownException) ? ex
					: new RedisOutcomeUnknownException("Optimistic transaction: EXEC was sent and no answer came back; "
							+ "its writes may or may not have been applied (" + RedisFailures.rootMessage(ex) + ")", ex);
			case NOT_REDIS -> ex;
		};
	}

	private void backOff(int attempt) {
		long ceiling = Math.min(this.settings.maxBackoff().toNanos(),
				this.settings.initialBackoff().toNanos() << Math.min(attempt - 1, 20));
		long nanos = ThreadLocalRandom.current().nextLong(ceiling / 2, Math.max(ceiling / 2 + 1, ceiling + 1));
		try {
			Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new OptimisticLockingFailureException("Interrupted while backing off", ex);
		}
	}

	private DedicatedConnections connections() {
		DedicatedConnections pool = this.connections;
		if (pool == null) {
			synchronized (this) {
				pool = this.connections;
				if (this.destroyed) {
					// a client created now would never be shut down
					throw new RedisUnavailableException("Transactions are closed: the application is shutting down");
				}
				if (pool == null) {
					pool = new DedicatedConnections(NonReconnectingClients.create(this.connectionFactory),
							this.settings.connections(), this.settings.acquireTimeout());
					this.connections = pool;
				}
			}
		}
		return pool;
	}

	@Override
	public synchronized void destroy() {
		this.destroyed = true;
		DedicatedConnections pool = this.connections;
		if (pool != null) {
			pool.close();
		}
	}

	private record Attempt<T>(boolean committed, boolean readOnly, T value) {
	}

}
