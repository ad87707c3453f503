package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.ScriptResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The part of a load that runs while this instance holds the key's loader lock: the loader runs with
 * the lease renewed every third of its length, the result is written with {@code fenced-write.lua}
 * (stored only if the lock is still this instance's, with a wake-up published for the waiters of other
 * instances) and the lock is released. Used by the blocking loader and the background refresh; the bulk,
 * non-blocking and write-through paths share its renewal thread and fenced-write script.
 */
final class LockedLoader {

	// logged under the template's name, as before the template was split
	private static final Log logger = LogFactory.getLog(RedisCacheTemplate.class);

	private final CacheRuntime runtime;

	private final LuaScriptRunner scripts;

	private final LuaScript<Long> fencedWrite = LuaScript.load(CacheTemplate.class, "fenced-write.lua",
			ScriptResult.LONG);

	private final ScheduledExecutorService renewals;

	LockedLoader(CacheRuntime runtime) {
		this.runtime = runtime;
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "redis-patterns-cache-lease-renewal");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.renewals = scheduler;
		// the connection factory is looked up when the first script runs
		this.scripts = new LuaScriptRunner(runtime.redis()::getRequiredConnectionFactory);
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
	 * Runs the loader under the held lock and writes its result fenced by the lock.
	 * @param outcome the load meter's outcome on success ({@code success} or {@code refreshed})
	 * @throws DistributedLoader.LoaderFailedException wrapping a checked throwable of the loader
	 */
	<T> @Nullable T loadAndWrite(String cache, CacheSettings settings, CacheKeyspace.EntryKeys k, Type type,
			Collection<String> tags,
			LoaderLocks.Held held, DistributedLoader.Loader<? extends @Nullable T> loader, String outcome) {
		long lease = settings.lockLease().toMillis();
		// Tagged before the loader runs: an evictTags during the load then unlinks the loader lock,
		// and the fenced write below drops the result it read before the invalidation.
		this.runtime.writes().addTags(cache, k, tags, lease + CacheEntryCodec.maxEntryTtlMillis(settings));
		ScheduledFuture<?> renewal = keepRenewed(cache, held, lease);
		long start = System.nanoTime();
		T value;
		try {
			value = loader.load();
		}
		catch (Throwable ex) {
			renewal.cancel(false);
			this.runtime.metrics().load(cache, outcome.equals("success") ? "failure" : "refresh-failure",
					Duration.ofNanos(System.nanoTime() - start));
			releaseLock(cache, k, held, true);
			throw (ex instanceof RuntimeException unchecked) ? unchecked : new DistributedLoader.LoaderFailedException(ex);
		}
		renewal.cancel(false);
		long computeNanos = System.nanoTime() - start;
		this.runtime.metrics().load(cache, outcome, Duration.ofNanos(computeNanos));
		this.runtime.statistics(cache).loads.increment();
		if (value == null && settings.cacheNulls() == null) {
			releaseLock(cache, k, held, true);
			return null;
		}
		CacheEntryCodec.Written written;
		try {
			written = this.runtime.codec().encode(cache, k, settings, value, TimeUnit.NANOSECONDS.toMillis(computeNanos));
		}
		catch (CacheEntryCodec.EncodeFailedException ex) {
			logger.warn("Cannot encode a value of cache '" + cache + "' as JSON; not cached", ex.getCause());
			releaseLock(cache, k, held, true);
			return value;
		}
		try {
			this.runtime.codec().requireReadable(type, value, written);
		}
		catch (CacheEntryCodec.UnreadableTypeException ex) {
			releaseLock(cache, k, held, true);
			throw ex;
		}
		try {
			Long stored = this.scripts.run(this.fencedWrite, List.of(k.value(), k.lock()), held.ownerToken(),
					written.entry(), Long.toString(written.ttlMillis()), this.runtime.wakeUps().channel(), k.value());
			this.runtime.breaker().recordSuccess();
			// this instance's own write: no copy of what was there before may be served after it returns
			this.runtime.nearInvalidate(cache, k.value());
			if (Long.valueOf(1).equals(stored)) {
				this.runtime.metrics().put(cache);
				releaseLock(cache, k, held, false);
				// again after the write: covers a load that outlived the tag sets' TTL, and an evictTags
				// that removed the key from a set after the lock changed hands
				this.runtime.writes().addTags(cache, k, tags, written.ttlMillis());
			}
			else {
				// the lease expired or an invalidation deleted the lock: the result is not stored
				logger.debug("Loader of cache '" + cache + "' lost its lock before writing; result not stored");
				releaseLock(cache, k, held, true);
			}
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "write", ex);
			releaseLock(cache, k, held, false);
		}
		return value;
	}

	/**
	 * Renews a held lock's lease every third of its length until the returned future is cancelled (when the
	 * loader returns); a failed renewal is reported and the next one tried.
	 */
	ScheduledFuture<?> keepRenewed(String cache, LoaderLocks.Held held, long leaseMillis) {
		return this.renewals.scheduleAtFixedRate(() -> renew(cache, held, leaseMillis), leaseMillis / 3,
				leaseMillis / 3, TimeUnit.MILLISECONDS);
	}

	private void renew(String cache, LoaderLocks.Held held, long leaseMillis) {
		try {
			held.extend(Duration.ofMillis(leaseMillis));
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "lock", ex);
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
				this.runtime.redis().convertAndSend(this.runtime.wakeUps().channel(), k.value());
			}
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "lock", ex);
		}
	}

}
