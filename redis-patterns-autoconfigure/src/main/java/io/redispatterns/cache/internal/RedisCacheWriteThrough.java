package io.redispatterns.cache.internal;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.redispatterns.cache.CacheLoaderException;
import io.redispatterns.cache.CacheLockTimeoutException;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.CacheWriteThrough;
import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisUnavailableException;
import io.redispatterns.core.ScriptResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;


/**
 * Updates the database and a cache entry together (write-through), so that the cache is never newer
 * than the database and never keeps a stale value when writers race.
 * <pre class="code">
 * Product saved = writeThrough.write("products", id, () -&gt; repository.save(product));
 * writeThrough.write("products", id, product, repository::save);
 * </pre>
 * How: the writer takes the key's <em>loader lock</em> — the same per-key lock under which
 * {@code getOrLoad}, {@code @CachedWithLock} and {@code @Cacheable(sync = true)} load — and deletes
 * the entry in one script; runs the database write while renewing the lock; then stores the new entry
 * only if it still holds the lock, and releases it (another script). So:
 * <ul>
 * <li>writers of one key take turns (across instances): the cache is written in the order the
 * database was, and the last writer's value stays;</li>
 * <li>a load running meanwhile waits for the lock, or, if it held the lock first, finishes before the
 * write starts; a load that took over after this writer's lease ran out has its result dropped and the
 * key invalidated;</li>
 * <li>when the database write throws, nothing is stored and the old entry is gone: the next read loads
 * what the database holds;</li>
 * <li>when the writer dies after its database write, the entry is already deleted: a miss, not the old
 * value.</li>
 * </ul>
 * This is a lock plus a fenced write, not a version check: a version needs the database to hand out a
 * monotonic version with every write, and plain invalidate-after-write leaves a reader that loaded the
 * old row just before the write free to store it just after. {@code put} and {@code @CachePut} bypass
 * the lock and are not covered.
 * <p>
 * Fail-closed: when the lock cannot be taken (Redis unreachable, or another writer or loader holds it
 * for longer than the cache's {@code wait-for}) the database write does not run and
 * {@link RedisUnavailableException} (or {@link CacheLockTimeoutException}) is thrown — safe to retry.
 * A Redis failure after the database write is logged and counted, never thrown: the database has the
 * value, the entry stays deleted (or expires with its lock's lease).
 */
public final class RedisCacheWriteThrough implements CacheWriteThrough {

	private static final Log logger = LogFactory.getLog(RedisCacheWriteThrough.class);

	private static final long POLL_MILLIS = 200;

	private final CacheRuntime runtime;

	private @Nullable LuaScriptRunner scripts;

	private final LuaScript<Long> begin = LuaScript.load(CacheTemplate.class, "write-through-begin.lua",
			ScriptResult.LONG);

	private final LuaScript<Long> commit = LuaScript.load(CacheTemplate.class, "write-through-commit.lua",
			ScriptResult.LONG);

	/**
	 * Creates the write-through operations of a cache template.
	 * @param template the cache template whose caches are written
	 */
	public RedisCacheWriteThrough(RedisCacheTemplate template) {
		this.runtime = template.runtime();
	}

	/**
	 * Writes a value to the database, then to the cache.
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param key the key
	 * @param value the value, cached when the database write returns
	 * @param writer writes the value to the database; its exception is rethrown (checked ones wrapped
	 * in {@link CacheLoaderException}) and nothing is cached
	 * @return the value
	 */
	@Override
	public <T> @Nullable T write(String cache, Object key, @Nullable T value, DatabaseWrite<? super T> writer) {
		return write(cache, key, () -> {
			writer.write(value);
			return value;
		});
	}

	/**
	 * Runs a database write and caches what it returns (the row as saved, with generated fields).
	 * @param <T> the value type
	 * @param cache the cache name
	 * @param key the key
	 * @param writer writes to the database and returns the value to cache; its exception is rethrown
	 * (checked ones wrapped in {@link CacheLoaderException}) and nothing is cached
	 * @return what the writer returned
	 * @throws RedisUnavailableException when the key's lock could not be taken because of Redis; the
	 * writer did not run
	 * @throws CacheLockTimeoutException when another writer or loader held the key's lock for longer than
	 * the cache's lock wait; the writer did not run
	 */
	@Override
	public <T> @Nullable T write(String cache, Object key, Callable<? extends @Nullable T> writer) {
		CacheSettings settings = this.runtime.settings(cache);
		CacheKeyspace.EntryKeys k = this.runtime.entryKeys(cache, this.runtime.id(key));
		String token = UUID.randomUUID().toString();
		lock(cache, settings, k, token);
		long lease = settings.lockLease().toMillis();
		ScheduledFuture<?> renewal = this.runtime.lockedLoader()
			.keepRenewed(cache, this.runtime.loaderLocks().held(k.lock(), token), lease);
		T value;
		try {
			value = writer.call();
		}
		catch (Exception ex) {
			renewal.cancel(false);
			// the entry was deleted when the lock was taken: the next read loads what the database holds
			finish(cache, k, token, "", 0);
			throw (ex instanceof RuntimeException unchecked) ? unchecked
					: new CacheLoaderException("Database write of a key of cache '" + cache + "' failed", ex);
		}
		renewal.cancel(false);
		String entry = "";
		long ttl = 0;
		if (value != null || settings.cacheNulls() != null) {
			try {
				CacheEntryCodec.Written written = this.runtime.codec().encode(cache, k, settings, value, 0);
				entry = written.entry();
				ttl = written.ttlMillis();
			}
			catch (CacheEntryCodec.EncodeFailedException ex) {
				logger.warn("Cannot encode a value of cache '" + cache + "' as JSON; the key is left uncached",
						ex.getCause());
			}
		}
		if (finish(cache, k, token, entry, ttl) && !entry.isEmpty()) {
			this.runtime.metrics().put(cache);
		}
		return value;
	}

	/** Takes the key's lock (deleting the entry), waiting up to the cache's lock wait. */
	private void lock(String cache, CacheSettings settings, CacheKeyspace.EntryKeys k, String token) {
		long deadline = System.nanoTime() + settings.lockWait().toNanos();
		while (true) {
			if (!this.runtime.breaker().tryAcquire()) {
				throw new RedisUnavailableException("Write-through of cache '" + cache
						+ "' refused: Redis is unavailable (circuit breaker open); the database was not written");
			}
			CompletableFuture<Void> wakeUp = this.runtime.wakeUps().wakeUp(k.value());
			try {
				Long taken;
				try {
					taken = scripts().run(this.begin, List.of(k.value(), k.lock()), token,
							Long.toString(settings.lockLease().toMillis()));
					this.runtime.breaker().recordSuccess();
				}
				catch (RuntimeException ex) {
					this.runtime.failures().redisFailed(cache, "lock", ex);
					throw RedisFailures.translate(
							"Write-through of cache '" + cache + "' (taking the key's lock; the database was not written)",
							ex);
				}
				if (Long.valueOf(1).equals(taken)) {
					// the entry was deleted with the lock taken: this instance's copy goes too
					this.runtime.nearInvalidate(cache, k.value());
					return;
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new CacheLockTimeoutException(cache, "Another writer or loader held the lock of a key of cache '"
							+ cache + "' for longer than the lock wait (" + settings.lockWait()
							+ "); the database was not written");
				}
				awaitWakeUp(wakeUp, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(remaining) + 1));
			}
			finally {
				this.runtime.wakeUps().forget(k.value(), wakeUp);
			}
		}
	}

	private static void awaitWakeUp(CompletableFuture<Void> wakeUp, long millis) {
		try {
			wakeUp.get(millis, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			// a lost message or a subscription not yet established: poll
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CacheLoaderException("Interrupted while waiting for the lock of a key; the database was not written",
					ex);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			// the wake-up subscription failed: poll
		}
	}

	/** Stores the entry if the lock is still ours (else invalidates the key) and releases the lock. */
	private boolean finish(String cache, CacheKeyspace.EntryKeys k, String token, String entry, long ttlMillis) {
		try {
			Long stored = scripts().run(this.commit, List.of(k.value(), k.lock()), token, entry,
					Long.toString(Math.max(1, ttlMillis)), this.runtime.keyspace().wakeUpChannel(), k.value());
			// this instance's own write: a read that raced with it must not keep the previous value
			this.runtime.nearInvalidate(cache, k.value());
			if (!Long.valueOf(1).equals(stored)) {
				logger.warn("Write-through of cache '" + cache + "' lost the key's lock during the database write"
						+ " (lease " + this.runtime.settings(cache).lockLease() + "); the key was invalidated");
				return false;
			}
			return true;
		}
		catch (RuntimeException ex) {
			// the database has the value; the entry was deleted when the lock was taken, the lock expires
			this.runtime.failures().redisFailed(cache, "write", ex);
			return false;
		}
	}

	// created on first use: the template is still being built when this is
	private LuaScriptRunner scripts() {
		LuaScriptRunner scripts = this.scripts;
		if (scripts == null) {
			scripts = new LuaScriptRunner(this.runtime.redis().getRequiredConnectionFactory());
			this.scripts = scripts;
		}
		return scripts;
	}

}
