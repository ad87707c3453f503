package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.cache.CacheSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Refreshes of stale entries (stale-while-revalidate) and early refreshes (XFetch) on a small pool:
 * one per key in this JVM, and across instances a loader-lock attempt that never waits; the refresh
 * re-reads and skips when another instance refreshed already. A full queue leaves the entry stale
 * until its TTL.
 */
final class BackgroundRefresh {

	// logged under the template's name, as before the template was split
	private static final Log logger = LogFactory.getLog(RedisCacheTemplate.class);

	private final CacheRuntime runtime;

	private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

	private final ThreadPoolExecutor refreshExecutor;

	BackgroundRefresh(CacheRuntime runtime, int refreshThreads) {
		this.runtime = runtime;
		AtomicInteger threadCount = new AtomicInteger();
		this.refreshExecutor = new ThreadPoolExecutor(Math.max(1, refreshThreads), Math.max(1, refreshThreads), 30,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000), (runnable) -> {
					Thread thread = new Thread(runnable, "redis-patterns-cache-refresh-" + threadCount.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.refreshExecutor.allowCoreThreadTimeOut(true);
	}

	void destroy() {
		this.refreshExecutor.shutdownNow();
	}

	<T> void refreshInBackground(String cache, CacheSettings settings, CacheKeyspace.EntryKeys k, Type type,
			Collection<String> tags, DistributedLoader.Loader<? extends @Nullable T> loader, long seenSoftExpiry) {
		if (!this.refreshing.add(k.value())) {
			return;
		}
		try {
			this.refreshExecutor.execute(() -> {
				try {
					refresh(cache, settings, k, type, tags, loader, seenSoftExpiry);
				}
				catch (Throwable ex) {
					logger.warn("Background refresh of an entry of cache '" + cache + "' failed", ex);
				}
				finally {
					this.refreshing.remove(k.value());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.refreshing.remove(k.value());
			logger.debug("Background refresh queue is full; entry stays stale until its TTL");
		}
	}

	private <T> void refresh(String cache, CacheSettings settings, CacheKeyspace.EntryKeys k, Type type, Collection<String> tags,
			DistributedLoader.Loader<? extends @Nullable T> loader, long seenSoftExpiry) {
		if (!this.runtime.breaker().tryAcquire()) {
			return;
		}
		LoaderLocks.Held acquired;
		try {
			acquired = this.runtime.loaderLocks().tryAcquire(k.lock(), settings.lockLease());
			this.runtime.breaker().recordSuccess();
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "lock", ex);
			return;
		}
		if (acquired == null) {
			return;
		}
		CacheEntryCodec.Decoded<T> current = this.runtime.reader().readQuietly(cache, k, type);
		if (current != null && current.entry().softExpiryMillis() != seenSoftExpiry) {
			this.runtime.lockedLoader().releaseLock(cache, k, acquired, false);
			return;
		}
		this.runtime.lockedLoader().loadAndWrite(cache, settings, k, type, tags, acquired, loader, "refreshed");
	}

}
