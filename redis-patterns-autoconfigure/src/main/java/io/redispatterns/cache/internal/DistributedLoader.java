package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.redispatterns.cache.CacheLoaderException;
import io.redispatterns.cache.CacheLockTimeoutException;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.OnLockTimeout;
import org.jspecify.annotations.Nullable;

/**
 * The blocking read-or-load protocol: a hit is one {@code GET}; a miss is coalesced per key in this
 * JVM, and the local leader takes the key's loader lock (one attempt of the replay-safe acquire
 * script), re-reads, runs the loader while renewing the lease every third of its length, and writes
 * with {@code fenced-write.lua} — stored only if the lock is still its own, with a wake-up published
 * for the waiters of other instances — then releases the lock. Callers that find the lock taken wait
 * for the wake-up (or a bounded poll) and read the value; when the lock wait runs out they follow
 * {@link OnLockTimeout}. Redis being unreachable means the loader is called directly.
 * <p>
 * What happens while the lock is held (renewal, fenced write, release) is {@code LockedLoader}'s.
 */
public final class DistributedLoader {

	private final CacheRuntime runtime;

	private final Map<String, CompletableFuture<@Nullable Object>> inFlight = new ConcurrentHashMap<>();

	DistributedLoader(CacheRuntime runtime) {
		this.runtime = runtime;
	}

	/**
	 * Returns the cached value or loads it.
	 * @param refreshLoader the loader for a background refresh (may run on another thread)
	 * @throws LoaderFailedException wrapping what the loader threw
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable T getOrLoad(String cache, CacheSettings settings, String id, Type type, Collection<String> tags,
			Loader<? extends @Nullable T> loader, Loader<? extends @Nullable T> refreshLoader) {
		CacheKeyspace.EntryKeys k = this.runtime.keyspace().entryKeys(cache, id);
		CacheStatistics stats = this.runtime.statistics(cache);
		// a near cache's copy is served without a Redis command (and without asking the breaker)
		CacheEntryCodec.Decoded<T> decoded = this.runtime.reader().nearCopy(cache, k, type);
		if (decoded == null) {
			if (!this.runtime.breaker().tryAcquire()) {
				this.runtime.countError(cache, stats);
				return (T) coalesce(k.value(), () -> timedLoad(cache, loader));
			}
			String raw;
			try {
				raw = this.runtime.reader().get(cache, k);
				this.runtime.breaker().recordSuccess();
			}
			catch (RuntimeException ex) {
				this.runtime.failures().redisFailed(cache, "read", ex);
				this.runtime.countError(cache, stats);
				return (T) coalesce(k.value(), () -> timedLoad(cache, loader));
			}
			decoded = (raw != null) ? this.runtime.reader().decode(cache, k, raw, type) : null;
		}
		if (decoded != null) {
			long now = System.currentTimeMillis();
			CacheEntry entry = decoded.entry();
			if (now < entry.softExpiryMillis()) {
				stats.hits.increment();
				this.runtime.metrics().get(cache, "hit");
				if (settings.earlyRefreshBeta() > 0 && xfetch(entry, settings.earlyRefreshBeta(), now)) {
					this.runtime.refresh().refreshInBackground(cache, settings, k, type, tags, refreshLoader, entry.softExpiryMillis());
				}
				return decoded.value();
			}
			stats.stale.increment();
			this.runtime.metrics().get(cache, "stale");
			this.runtime.refresh().refreshInBackground(cache, settings, k, type, tags, refreshLoader, entry.softExpiryMillis());
			return decoded.value();
		}
		stats.misses.increment();
		this.runtime.metrics().get(cache, "miss");
		this.runtime.wakeUps().ensureSubscribed();
		return (T) coalesce(k.value(), () -> loadDistributed(cache, settings, k, type, tags, loader));
	}

	/**
	 * XFetch: refresh early when {@code now - delta * beta * ln(random) >= expiry}.
	 */
	static boolean xfetch(CacheEntry entry, double beta, long now) {
		double random = ThreadLocalRandom.current().nextDouble();
		if (random <= 0) {
			return true;
		}
		return now - entry.computeMillis() * beta * Math.log(random) >= entry.softExpiryMillis();
	}

	private @Nullable Object coalesce(String valueKey, Loader<?> work) {
		CompletableFuture<@Nullable Object> mine = new CompletableFuture<>();
		CompletableFuture<@Nullable Object> leader;
		while ((leader = this.inFlight.putIfAbsent(valueKey, mine)) != null) {
			try {
				return leader.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new WaitInterruptedException(valueKey, ex);
			}
			catch (ExecutionException ex) {
				// a future completed exceptionally always has a cause; the fallback only satisfies the type
				Throwable cause = Objects.requireNonNullElse(ex.getCause(), ex);
				if (cause instanceof WaitInterruptedException && !Thread.currentThread().isInterrupted()) {
					// the local leader was interrupted, not this caller: take over
					this.inFlight.remove(valueKey, leader);
					continue;
				}
				if (cause instanceof LoaderFailedException failed) {
					throw new LoaderFailedException(failed.getCause());
				}
				if (cause instanceof RuntimeException unchecked) {
					throw unchecked;
				}
				throw new LoaderFailedException(cause);
			}
		}
		try {
			Object value = work.load();
			mine.complete(value);
			return value;
		}
		catch (Throwable ex) {
			mine.completeExceptionally(ex);
			if (ex instanceof RuntimeException unchecked) {
				throw unchecked;
			}
			throw new LoaderFailedException(ex);
		}
		finally {
			this.inFlight.remove(valueKey, mine);
		}
	}

	private <T> @Nullable T loadDistributed(String cache, CacheSettings settings, CacheKeyspace.EntryKeys k, Type type,
			Collection<String> tags, Loader<? extends @Nullable T> loader) {
		long deadline = System.nanoTime() + settings.lockWait().toNanos();
		long waitStart = 0;
		CacheEntryCodec.Decoded<T> stale = null;
		while (true) {
			LoaderLocks.Held acquired;
			try {
				acquired = this.runtime.loaderLocks().tryAcquire(k.lock(), settings.lockLease());
				this.runtime.breaker().recordSuccess();
			}
			catch (RuntimeException ex) {
				stopIfInterrupted(k, ex);
				this.runtime.failures().redisFailed(cache, "lock", ex);
				return timedLoad(cache, loader);
			}
			if (acquired != null) {
				if (waitStart != 0) {
					this.runtime.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
				}
				CacheEntryCodec.Decoded<T> current = this.runtime.reader().readQuietly(cache, k, type);
				if (current != null && System.currentTimeMillis() < current.entry().softExpiryMillis()) {
					this.runtime.lockedLoader().releaseLock(cache, k, acquired, false);
					return current.value();
				}
				return this.runtime.lockedLoader().loadAndWrite(cache, settings, k, type, tags, acquired, loader, "success");
			}
			if (waitStart == 0) {
				waitStart = System.nanoTime();
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				break;
			}
			this.runtime.wakeUps().awaitWakeUp(k.value(), Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, LoaderWakeUps.MAX_POLL_MILLIS));
			CacheEntryCodec.Decoded<T> written;
			try {
				String raw = this.runtime.redis().opsForValue().get(k.value());
				this.runtime.breaker().recordSuccess();
				written = (raw != null) ? this.runtime.reader().decode(cache, k, raw, type) : null;
			}
			catch (RuntimeException ex) {
				stopIfInterrupted(k, ex);
				this.runtime.failures().redisFailed(cache, "read", ex);
				this.runtime.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
				return timedLoad(cache, loader);
			}
			if (written != null) {
				if (System.currentTimeMillis() < written.entry().softExpiryMillis()) {
					this.runtime.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
					return written.value();
				}
				stale = written;
			}
		}
		this.runtime.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
		return switch (settings.onLockTimeout()) {
			case SERVE_STALE -> (stale != null) ? stale.value() : timedLoad(cache, loader);
			case CALL_LOADER -> timedLoad(cache, loader);
			case FAIL -> throw new CacheLockTimeoutException(cache, "Another instance held the loader lock of a key of cache '"
					+ cache + "' for longer than the lock wait (" + settings.lockWait() + ")");
		};
	}


	private <T> @Nullable T timedLoad(String cache, Loader<? extends @Nullable T> loader) {
		long start = System.nanoTime();
		try {
			T value = loader.load();
			this.runtime.metrics().load(cache, "success", Duration.ofNanos(System.nanoTime() - start));
			this.runtime.statistics(cache).loads.increment();
			return value;
		}
		catch (Throwable ex) {
			this.runtime.metrics().load(cache, "failure", Duration.ofNanos(System.nanoTime() - start));
			throw (ex instanceof RuntimeException unchecked) ? unchecked : new LoaderFailedException(ex);
		}
	}

	/** A waiting caller whose Redis command failed because it was interrupted stops waiting. */
	private static void stopIfInterrupted(CacheKeyspace.EntryKeys k, RuntimeException ex) {
		if (CacheFailures.isInterruption(ex)) {
			Thread.currentThread().interrupt();
			throw new WaitInterruptedException(k.value(), ex);
		}
	}

	/** Computes a value; may throw anything. */
	@FunctionalInterface
	public interface Loader<T> {

		@Nullable T load() throws Throwable;

	}

	/** Carries a loader's throwable through the cache machinery. */
	static final class LoaderFailedException extends RuntimeException {

		LoaderFailedException(Throwable cause) {
			super(cause);
		}

		/** The loader's throwable: never null, the only constructor takes it. */
		@Override
		public synchronized Throwable getCause() {
			return Objects.requireNonNull(super.getCause());
		}

		/**
		 * The loader's own exception for its caller: unchecked ones as they are, checked ones wrapped
		 * in {@link CacheLoaderException}.
		 */
		RuntimeException rethrow(String cache) {
			Throwable cause = getCause();
			if (cause instanceof RuntimeException unchecked) {
				return unchecked;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			return new CacheLoaderException("Loader of cache '" + cache + "' failed", cause);
		}

	}

	/**
	 * Thrown to a caller interrupted while it waited for a loader (of another instance, or of
	 * another thread of this one); the thread's interrupt flag stays set.
	 */
	static final class WaitInterruptedException extends CacheLoaderException {

		WaitInterruptedException(String valueKey, Throwable cause) {
			super("Interrupted while waiting for the loader of cache entry " + valueKey, cause);
		}

	}

}
