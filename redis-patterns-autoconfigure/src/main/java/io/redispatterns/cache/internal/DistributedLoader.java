package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.redispatterns.cache.CacheLoaderException;
import io.redispatterns.cache.CacheLockTimeoutException;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.OnLockTimeout;
import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.ScriptResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;


/**
 * The blocking read-or-load protocol: a hit is one {@code GET}; a miss is coalesced per key in this
 * JVM, and the local leader takes the key's loader lock (one attempt of the replay-safe acquire
 * script), re-reads, runs the loader while renewing the lease every third of its length, and writes
 * with {@code fenced-write.lua} — stored only if the lock is still its own, with a wake-up published
 * for the waiters of other instances — then releases the lock. Callers that find the lock taken wait
 * for the wake-up (or a bounded poll) and read the value; when the lock wait runs out they follow
 * {@link OnLockTimeout}. Redis being unreachable means the loader is called directly.
 */
public final class DistributedLoader {

	// logged under the template's name, as before the template was split
	private static final Log logger = LogFactory.getLog(RedisCacheTemplate.class);

	private final RedisCacheTemplate template;

	private @Nullable LuaScriptRunner scripts;

	private final LuaScript<Long> fencedWrite = LuaScript.load(CacheTemplate.class, "fenced-write.lua",
			ScriptResult.LONG);

	private final Map<String, CompletableFuture<@Nullable Object>> inFlight = new ConcurrentHashMap<>();

	private final ScheduledExecutorService renewals;

	DistributedLoader(RedisCacheTemplate template) {
		this.template = template;
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "redis-patterns-cache-lease-renewal");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.renewals = scheduler;
	}

	LuaScript<Long> fencedWriteScript() {
		return this.fencedWrite;
	}

	/** Renews the leases of loader locks while their loaders run. */
	ScheduledExecutorService renewals() {
		return this.renewals;
	}

	void destroy() {
		this.renewals.shutdownNow();
	}

	/**
	 * Returns the cached value or loads it.
	 * @param refreshLoader the loader for a background refresh (may run on another thread)
	 * @throws LoaderFailedException wrapping what the loader threw
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable T getOrLoad(String cache, CacheSettings settings, String id, Type type, Collection<String> tags,
			Loader<? extends @Nullable T> loader, Loader<? extends @Nullable T> refreshLoader) {
		CacheKeyspace.EntryKeys k = this.template.keyspace().entryKeys(cache, id);
		CacheStatistics stats = this.template.statistics(cache);
		// a near cache's copy is served without a Redis command (and without asking the breaker)
		CacheEntryCodec.Decoded<T> decoded = this.template.reader().nearCopy(cache, k, type);
		if (decoded == null) {
			if (!this.template.breaker().tryAcquire()) {
				this.template.countError(cache, stats);
				return (T) coalesce(k.value(), () -> timedLoad(cache, loader));
			}
			String raw;
			try {
				raw = this.template.reader().get(cache, k);
				this.template.breaker().recordSuccess();
			}
			catch (RuntimeException ex) {
				this.template.failures().redisFailed(cache, "read", ex);
				this.template.countError(cache, stats);
				return (T) coalesce(k.value(), () -> timedLoad(cache, loader));
			}
			decoded = (raw != null) ? this.template.reader().decode(cache, k, raw, type) : null;
		}
		if (decoded != null) {
			long now = System.currentTimeMillis();
			CacheEntry entry = decoded.entry();
			if (now < entry.softExpiryMillis()) {
				stats.hits.increment();
				this.template.metrics().get(cache, "hit");
				if (settings.earlyRefreshBeta() > 0 && xfetch(entry, settings.earlyRefreshBeta(), now)) {
					this.template.refresh().refreshInBackground(cache, settings, k, type, tags, refreshLoader, entry.softExpiryMillis());
				}
				return decoded.value();
			}
			stats.stale.increment();
			this.template.metrics().get(cache, "stale");
			this.template.refresh().refreshInBackground(cache, settings, k, type, tags, refreshLoader, entry.softExpiryMillis());
			return decoded.value();
		}
		stats.misses.increment();
		this.template.metrics().get(cache, "miss");
		this.template.wakeUps().ensureSubscribed();
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
				if (cause instanceof RuntimeException runtime) {
					throw runtime;
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
			if (ex instanceof RuntimeException runtime) {
				throw runtime;
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
				acquired = this.template.loaderLocks().tryAcquire(k.lock(), settings.lockLease());
				this.template.breaker().recordSuccess();
			}
			catch (RuntimeException ex) {
				stopIfInterrupted(k, ex);
				this.template.failures().redisFailed(cache, "lock", ex);
				return timedLoad(cache, loader);
			}
			if (acquired != null) {
				if (waitStart != 0) {
					this.template.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
				}
				CacheEntryCodec.Decoded<T> current = this.template.reader().readQuietly(cache, k, type);
				if (current != null && System.currentTimeMillis() < current.entry().softExpiryMillis()) {
					releaseLock(cache, k, acquired, false);
					return current.value();
				}
				return loadAndWrite(cache, settings, k, type, tags, acquired, loader, "success");
			}
			if (waitStart == 0) {
				waitStart = System.nanoTime();
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				break;
			}
			this.template.wakeUps().awaitWakeUp(k.value(), Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, LoaderWakeUps.MAX_POLL_MILLIS));
			CacheEntryCodec.Decoded<T> written;
			try {
				String raw = this.template.redis().opsForValue().get(k.value());
				this.template.breaker().recordSuccess();
				written = (raw != null) ? this.template.reader().decode(cache, k, raw, type) : null;
			}
			catch (RuntimeException ex) {
				stopIfInterrupted(k, ex);
				this.template.failures().redisFailed(cache, "read", ex);
				this.template.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
				return timedLoad(cache, loader);
			}
			if (written != null) {
				if (System.currentTimeMillis() < written.entry().softExpiryMillis()) {
					this.template.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
					return written.value();
				}
				stale = written;
			}
		}
		this.template.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
		return switch (settings.onLockTimeout()) {
			case SERVE_STALE -> (stale != null) ? stale.value() : timedLoad(cache, loader);
			case CALL_LOADER -> timedLoad(cache, loader);
			case FAIL -> throw new CacheLockTimeoutException(cache, "Another instance held the loader lock of a key of cache '"
					+ cache + "' for longer than the lock wait (" + settings.lockWait() + ")");
		};
	}

	<T> @Nullable T loadAndWrite(String cache, CacheSettings settings, CacheKeyspace.EntryKeys k, Type type,
			Collection<String> tags,
			LoaderLocks.Held held, Loader<? extends @Nullable T> loader, String outcome) {
		long lease = settings.lockLease().toMillis();
		// Tagged before the loader runs: an evictTags during the load then unlinks the loader lock,
		// and the fenced write below drops the result it read before the invalidation.
		this.template.writes().addTags(cache, k, tags, lease + CacheEntryCodec.maxEntryTtlMillis(settings));
		ScheduledFuture<?> renewal = this.renewals.scheduleAtFixedRate(() -> renew(cache, held, lease),
				lease / 3, lease / 3, TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		T value;
		try {
			value = loader.load();
		}
		catch (Throwable ex) {
			renewal.cancel(false);
			this.template.metrics().load(cache, outcome.equals("success") ? "failure" : "refresh-failure",
					Duration.ofNanos(System.nanoTime() - start));
			releaseLock(cache, k, held, true);
			throw (ex instanceof RuntimeException runtime) ? runtime : new LoaderFailedException(ex);
		}
		renewal.cancel(false);
		long computeNanos = System.nanoTime() - start;
		this.template.metrics().load(cache, outcome, Duration.ofNanos(computeNanos));
		this.template.statistics(cache).loads.increment();
		if (value == null && settings.cacheNulls() == null) {
			releaseLock(cache, k, held, true);
			return null;
		}
		CacheEntryCodec.Written written;
		try {
			written = this.template.codec().encode(cache, k, settings, value, TimeUnit.NANOSECONDS.toMillis(computeNanos));
		}
		catch (CacheEntryCodec.EncodeFailedException ex) {
			logger.warn("Cannot encode a value of cache '" + cache + "' as JSON; not cached", ex.getCause());
			releaseLock(cache, k, held, true);
			return value;
		}
		try {
			this.template.codec().requireReadable(type, value, written);
		}
		catch (CacheEntryCodec.UnreadableTypeException ex) {
			releaseLock(cache, k, held, true);
			throw ex;
		}
		try {
			Long stored = scripts().run(this.fencedWrite, List.of(k.value(), k.lock()), held.ownerToken(),
					written.entry(), Long.toString(written.ttlMillis()), this.template.wakeUps().channel(), k.value());
			this.template.breaker().recordSuccess();
			// this instance's own write: no copy of what was there before may be served after it returns
			this.template.nearInvalidate(cache, k.value());
			if (Long.valueOf(1).equals(stored)) {
				this.template.metrics().put(cache);
				releaseLock(cache, k, held, false);
				// again after the write: covers a load that outlived the tag sets' TTL, and an evictTags
				// that removed the key from a set after the lock changed hands
				this.template.writes().addTags(cache, k, tags, written.ttlMillis());
			}
			else {
				// the lease expired or an invalidation deleted the lock: the result is not stored
				logger.debug("Loader of cache '" + cache + "' lost its lock before writing; result not stored");
				releaseLock(cache, k, held, true);
			}
		}
		catch (RuntimeException ex) {
			this.template.failures().redisFailed(cache, "write", ex);
			releaseLock(cache, k, held, false);
		}
		return value;
	}

	private <T> @Nullable T timedLoad(String cache, Loader<? extends @Nullable T> loader) {
		long start = System.nanoTime();
		try {
			T value = loader.load();
			this.template.metrics().load(cache, "success", Duration.ofNanos(System.nanoTime() - start));
			this.template.statistics(cache).loads.increment();
			return value;
		}
		catch (Throwable ex) {
			this.template.metrics().load(cache, "failure", Duration.ofNanos(System.nanoTime() - start));
			throw (ex instanceof RuntimeException runtime) ? runtime : new LoaderFailedException(ex);
		}
	}

	private void renew(String cache, LoaderLocks.Held held, long leaseMillis) {
		try {
			held.extend(Duration.ofMillis(leaseMillis));
		}
		catch (RuntimeException ex) {
			this.template.failures().redisFailed(cache, "lock", ex);
		}
	}

	/**
	 * Releases a loader lock; with {@code wake}, also tells waiters of other instances to look
	 * again (used when nothing was written, so they may take over the load).
	 */
	void releaseLock(String cache, CacheKeyspace.EntryKeys k, LoaderLocks.Held held, boolean wake) {
		try {
			held.release();
			if (wake) {
				this.template.redis().convertAndSend(this.template.wakeUps().channel(), k.value());
			}
		}
		catch (RuntimeException ex) {
			this.template.failures().redisFailed(cache, "lock", ex);
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
			if (cause instanceof RuntimeException runtime) {
				return runtime;
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

	// created on first use: the template is still being built when this is
	private LuaScriptRunner scripts() {
		LuaScriptRunner scripts = this.scripts;
		if (scripts == null) {
			scripts = new LuaScriptRunner(this.template.redis().getRequiredConnectionFactory());
			this.scripts = scripts;
		}
		return scripts;
	}

}
