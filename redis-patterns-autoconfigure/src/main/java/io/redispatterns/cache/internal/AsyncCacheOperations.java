package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.redispatterns.cache.CacheLockTimeoutException;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.core.LuaScriptRunner;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The non-blocking side of {@link RedisCacheTemplate}, behind Spring's {@code Cache#retrieve}: the
 * same entries, the same loader-lock protocol and the same failure behaviour, over Lettuce's
 * reactive API, so that no calling thread waits for Redis or for another instance's loader.
 * <p>
 * A miss is coalesced per key in this JVM; the local leader takes the loader lock (the replay-safe
 * acquire script of the blocking path), runs the loader, renews the lease while the loader's future
 * is pending, writes with the fenced
 * script and releases. Callers that find the lock taken wait for the wake-up message (or a bounded
 * poll) as futures, not threads. Redis being unreachable means the loader is called directly, as in
 * the blocking path.
 * <p>
 * The loader is called, and the futures handed to callers are completed, off Redis client I/O
 * threads (see {@link OffIoThreads}).
 */
final class AsyncCacheOperations {

	private final CacheRuntime runtime;

	private final ReactiveStringRedisTemplate reactive;

	private final LuaScriptRunner scripts;

	private final Map<String, CompletableFuture<@Nullable Object>> inFlight = new ConcurrentHashMap<>();

	private final OffIoThreads offIoThreads = new OffIoThreads();

	AsyncCacheOperations(CacheRuntime runtime) {
		this.runtime = runtime;
		RedisConnectionFactory factory = runtime.redis().getRequiredConnectionFactory();
		if (!(factory instanceof ReactiveRedisConnectionFactory reactiveFactory)) {
			throw new UnsupportedOperationException("Cache#retrieve needs a reactive Redis connection factory "
					+ "(Lettuce); " + factory.getClass().getName() + " is not one");
		}
		this.reactive = new ReactiveStringRedisTemplate(reactiveFactory);
		this.scripts = new LuaScriptRunner(factory);
	}

	/**
	 * Reads an entry without loading.
	 * @return a future of the lookup; a Redis failure completes it as a miss
	 */
	<T> CompletableFuture<RedisCacheTemplate.Lookup<T>> lookup(String cache, Object key, Type type) {
		CacheKeyspace.EntryKeys k = this.runtime.entryKeys(cache, this.runtime.id(key));
		CacheStatistics stats = this.runtime.statistics(cache);
		return this.offIoThreads.complete(this.<T>read(cache, k, type).handle((decoded, failure) -> {
			if (failure != null) {
				this.runtime.countError(cache, stats);
				return RedisCacheTemplate.Lookup.miss();
			}
			if (decoded == null) {
				stats.misses.increment();
				this.runtime.metrics().get(cache, "miss");
				return RedisCacheTemplate.Lookup.miss();
			}
			boolean stale = System.currentTimeMillis() >= decoded.entry().softExpiryMillis();
			(stale ? stats.stale : stats.hits).increment();
			this.runtime.metrics().get(cache, stale ? "stale" : "hit");
			return new RedisCacheTemplate.Lookup<>(true, decoded.value());
		}));
	}

	/**
	 * Returns the cached value or loads it with one loader across all instances.
	 * @param loader called at most once per miss in this JVM, on the leader's thread
	 */
	@SuppressWarnings("unchecked")
	<T> CompletableFuture<T> getOrLoad(String cache, Object key, Type type,
			Supplier<CompletableFuture<T>> loader) {
		CacheSettings settings = this.runtime.settings(cache);
		CacheKeyspace.EntryKeys k = this.runtime.entryKeys(cache, this.runtime.id(key));
		CacheStatistics stats = this.runtime.statistics(cache);
		return this.offIoThreads.complete(this.<T>read(cache, k, type).handle((decoded, failure) -> {
			if (failure != null) {
				this.runtime.countError(cache, stats);
				return coalesce(k, () -> timedLoad(cache, loader));
			}
			if (decoded != null) {
				boolean stale = System.currentTimeMillis() >= decoded.entry().softExpiryMillis();
				(stale ? stats.stale : stats.hits).increment();
				this.runtime.metrics().get(cache, stale ? "stale" : "hit");
				if (stale) {
					// refreshed by the background pool, which may wait for the loader's future
					this.runtime.refresh().refreshInBackground(cache, settings, k, type, List.of(),
							() -> loader.get().join(), decoded.entry().softExpiryMillis());
				}
				return CompletableFuture.completedFuture((Object) decoded.value());
			}
			stats.misses.increment();
			this.runtime.metrics().get(cache, "miss");
			return coalesce(k, () -> loadDistributed(cache, settings, k, type, loader,
					System.nanoTime() + settings.lockWait().toNanos(), 0, null));
		}).thenCompose((future) -> (CompletableFuture<T>) future));
	}

	private CompletableFuture<@Nullable Object> coalesce(CacheKeyspace.EntryKeys k,
			Supplier<CompletableFuture<?>> work) {
		CompletableFuture<@Nullable Object> mine = new CompletableFuture<>();
		CompletableFuture<@Nullable Object> leader = this.inFlight.putIfAbsent(k.value(), mine);
		if (leader != null) {
			return leader;
		}
		CompletableFuture<?> result;
		try {
			result = work.get();
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		result.whenComplete((value, failure) -> {
			this.inFlight.remove(k.value(), mine);
			if (failure != null) {
				mine.completeExceptionally(unwrap(failure));
			}
			else {
				mine.complete(value);
			}
		});
		return mine;
	}

	private <T> CompletableFuture<@Nullable Object> loadDistributed(String cache, CacheSettings settings,
			CacheKeyspace.EntryKeys k, Type type, Supplier<CompletableFuture<T>> loader, long deadline,
			long waitStart, CacheEntryCodec.@Nullable Decoded<T> stale) {
		if (!this.runtime.breaker().tryAcquire()) {
			this.runtime.failures().redisFailed(cache, "lock", null);
			return timedLoad(cache, loader);
		}
		String token = UUID.randomUUID().toString();
		return this.scripts
			.runReactive(this.runtime.loaderLocks().acquireScript(), List.of(k.lock()),
					List.of(token, Long.toString(settings.lockLease().toMillis())))
			.map((acquired) -> Long.valueOf(1).equals(acquired))
			.toFuture()
			.handle((acquired, failure) -> {
				if (failure != null) {
					this.runtime.failures().redisFailed(cache, "lock", unchecked(failure));
					return timedLoad(cache, loader);
				}
				this.runtime.breaker().recordSuccess();
				if (Boolean.TRUE.equals(acquired)) {
					if (waitStart != 0) {
						this.runtime.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
					}
					return loadAndWrite(cache, settings, k, type, loader,
							this.runtime.loaderLocks().held(k.lock(), token));
				}
				long started = (waitStart != 0) ? waitStart : System.nanoTime();
				return awaitWritten(cache, settings, k, type, loader, deadline, started, stale);
			})
			.thenCompose((future) -> future);
	}

	/** Waits (as a future) for the lock holder's wake-up or a poll interval, then reads again. */
	private <T> CompletableFuture<@Nullable Object> awaitWritten(String cache, CacheSettings settings,
			CacheKeyspace.EntryKeys k, Type type, Supplier<CompletableFuture<T>> loader, long deadline,
			long waitStart, CacheEntryCodec.@Nullable Decoded<T> stale) {
		long remaining = deadline - System.nanoTime();
		if (remaining <= 0) {
			this.runtime.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
			return switch (settings.onLockTimeout()) {
				case SERVE_STALE -> (stale != null) ? CompletableFuture.completedFuture(stale.value())
						: timedLoad(cache, loader);
				case CALL_LOADER -> timedLoad(cache, loader);
				case FAIL -> CompletableFuture.failedFuture(new CacheLockTimeoutException(cache,
						"Another instance held the loader lock of a key of cache '" + cache
								+ "' for longer than the lock wait (" + settings.lockWait() + ")"));
			};
		}
		CompletableFuture<Void> signal = this.runtime.wakeUps().wakeUp(k.value());
		long pollMillis = Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, LoaderWakeUps.MAX_POLL_MILLIS);
		return signal.copy()
			.completeOnTimeout(null, pollMillis, TimeUnit.MILLISECONDS)
			.thenCompose((ignored) -> {
				this.runtime.wakeUps().forget(k.value(), signal);
				return this.<T>read(cache, k, type);
			})
			.handle((written, failure) -> {
				if (failure != null) {
					this.runtime.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
					return timedLoad(cache, loader);
				}
				if (written != null && System.currentTimeMillis() < written.entry().softExpiryMillis()) {
					this.runtime.metrics().lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
					return CompletableFuture.completedFuture((Object) written.value());
				}
				return loadDistributed(cache, settings, k, type, loader, deadline, waitStart,
						(written != null) ? written : stale);
			})
			.thenCompose((future) -> future);
	}

	private <T> CompletableFuture<@Nullable Object> loadAndWrite(String cache, CacheSettings settings,
			CacheKeyspace.EntryKeys k, Type type, Supplier<CompletableFuture<T>> loader,
			LoaderLocks.Held held) {
		return this.<T>read(cache, k, type).exceptionally((failure) -> null).thenCompose((current) -> {
			if (current != null && System.currentTimeMillis() < current.entry().softExpiryMillis()) {
				// written by the previous holder between our read and our lock
				return release(cache, k, held, false).thenApply((ignored) -> (Object) current.value());
			}
			long lease = settings.lockLease().toMillis();
			ScheduledFuture<?> renewal = this.runtime.lockedLoader().keepRenewed(cache, held, lease);
			long start = System.nanoTime();
			return this.offIoThreads.callLoader(loader).handle((value, failure) -> {
				renewal.cancel(false);
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				if (failure != null) {
					this.runtime.metrics().load(cache, "failure", took);
					return release(cache, k, held, true)
						.thenCompose((ignored) -> CompletableFuture.<@Nullable Object>failedFuture(unwrap(failure)));
				}
				this.runtime.metrics().load(cache, "success", took);
				this.runtime.statistics(cache).loads.increment();
				return write(cache, settings, k, type, held, value, took).thenApply((ignored) -> (Object) value);
			}).thenCompose((future) -> future);
		});
	}

	private CompletableFuture<Void> write(String cache, CacheSettings settings, CacheKeyspace.EntryKeys k,
			Type type, LoaderLocks.Held held, @Nullable Object value, Duration took) {
		if (value == null && settings.cacheNulls() == null) {
			return release(cache, k, held, true);
		}
		CacheEntryCodec.Written written;
		try {
			written = this.runtime.codec().encode(cache, k, settings, value, took.toMillis());
		}
		catch (CacheEntryCodec.EncodeFailedException ex) {
			return release(cache, k, held, true);
		}
		try {
			this.runtime.codec().requireReadable(type, value, written);
		}
		catch (CacheEntryCodec.UnreadableTypeException ex) {
			return release(cache, k, held, true).thenCompose((ignored) -> CompletableFuture.failedFuture(ex));
		}
		return this.scripts
			.runReactive(this.runtime.lockedLoader().fencedWriteScript(), List.of(k.value(), k.lock()),
					List.of(held.ownerToken(), written.entry(), Long.toString(written.ttlMillis()),
							this.runtime.wakeUps().channel(), k.value()))
			.toFuture()
			.handle((stored, failure) -> {
				if (failure != null) {
					this.runtime.failures().redisFailed(cache, "write", unchecked(failure));
					return release(cache, k, held, false);
				}
				this.runtime.breaker().recordSuccess();
				boolean ok = Long.valueOf(1).equals(stored);
				if (ok) {
					this.runtime.metrics().put(cache);
				}
				return release(cache, k, held, !ok);
			})
			.thenCompose((future) -> future);
	}

	private CompletableFuture<Void> release(String cache, CacheKeyspace.EntryKeys k, LoaderLocks.Held held,
			boolean wake) {
		CompletableFuture<Void> released = this.scripts
			.runReactive(this.runtime.loaderLocks().releaseScript(), List.of(k.lock()),
					List.of(held.ownerToken()))
			.then()
			.toFuture();
		if (wake) {
			released = released.thenCompose((ignored) -> this.reactive
				.convertAndSend(this.runtime.wakeUps().channel(), k.value())
				.then()
				.toFuture());
		}
		return released.exceptionally((failure) -> {
			this.runtime.failures().redisFailed(cache, "lock", unchecked(failure));
			return null;
		});
	}

	private <T> CompletableFuture<CacheEntryCodec.@Nullable Decoded<T>> read(String cache,
			CacheKeyspace.EntryKeys k, Type type) {
		if (!this.runtime.breaker().tryAcquire()) {
			this.runtime.failures().redisFailed(cache, "read", null);
			return CompletableFuture.failedFuture(new IllegalStateException("circuit breaker open"));
		}
		return this.reactive.opsForValue().get(k.value()).toFuture().handle((raw, failure) -> {
			if (failure != null) {
				this.runtime.failures().redisFailed(cache, "read", unchecked(failure));
				throw new CompletionException(unwrap(failure));
			}
			this.runtime.breaker().recordSuccess();
			return (raw != null) ? this.runtime.codec().<T>decode(cache, k, raw, type, (undecodable) -> this.reactive
				.unlink(undecodable.value())
				.subscribe(null, (ex) -> this.runtime.failures().redisFailed(cache, "evict", unchecked(ex)))) : null;
		});
	}

	@SuppressWarnings("unchecked")
	private <T> CompletableFuture<@Nullable Object> timedLoad(String cache, Supplier<CompletableFuture<T>> loader) {
		long start = System.nanoTime();
		return (CompletableFuture<@Nullable Object>) this.offIoThreads.callLoader(loader).whenComplete((value, failure) -> {
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			this.runtime.metrics().load(cache, (failure != null) ? "failure" : "success", took);
			if (failure == null) {
				this.runtime.statistics(cache).loads.increment();
			}
		});
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static RuntimeException unchecked(Throwable failure) {
		Throwable cause = unwrap(failure);
		return (cause instanceof RuntimeException exception) ? exception : new IllegalStateException(cause);
	}

}
