package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.redispatterns.cache.CacheSettings;
import io.redispatterns.core.RedisBatch;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Loads the keys a {@code getAll} missed, with the stampede protection of single gets, each step one
 * {@link RedisBatch}.
 * <p>
 * A {@code getAll} with a loader reads every key ({@code MGET}), then takes the loader locks of the
 * missing keys (one acquire script per key, pipelined), re-reads the keys it locked (a previous holder
 * may have written them between the read and the lock), calls the loader once with the keys still
 * missing while renewing their leases together, stores its results with the fenced write (pipelined)
 * and releases the locks (pipelined). Keys whose lock another caller holds are then read as single
 * {@code getOrLoad}s do: they wait for that caller's wake-up and load singly only if it gives up. Redis
 * being unreachable means the loader is called with every key that was not read, as single gets do.
 */
final class BulkLoader {

	private static final Log logger = LogFactory.getLog(BulkLoader.class);

	private final CacheRuntime runtime;

	private final BulkCacheOperations bulk;

	BulkLoader(CacheRuntime runtime, BulkCacheOperations bulk) {
		this.runtime = runtime;
		this.bulk = bulk;
	}

	/** Locks, re-reads, loads and writes the missing keys; waits for those another caller holds. */
	<K, T> Map<String, @Nullable T> loadMissing(String cache, CacheSettings settings, Type type,
			Map<K, CacheKeyspace.EntryKeys> missing,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		String token = UUID.randomUUID().toString();
		Map<K, CacheKeyspace.EntryKeys> mine = new LinkedHashMap<>();
		Map<K, CacheKeyspace.EntryKeys> theirs = new LinkedHashMap<>();
		if (!acquireAll(cache, settings, token, missing, mine, theirs)) {
			return byValueKey(missing, timedLoad(cache, missing.keySet(), loader));
		}
		Map<String, @Nullable T> values = new LinkedHashMap<>();
		if (!mine.isEmpty()) {
			// another caller may have written a key between our read and our lock
			Map<String, CacheEntryCodec.Decoded<T>> current = this.bulk.<T>readAll(cache, List.copyOf(mine.values()), type,
					false).entries();
			List<CacheKeyspace.EntryKeys> written = new ArrayList<>();
			mine.entrySet().removeIf((key) -> {
				CacheEntryCodec.Decoded<T> decoded = current.get(key.getValue().value());
				if (decoded != null && System.currentTimeMillis() < decoded.entry().softExpiryMillis()) {
					values.put(key.getValue().value(), decoded.value());
					written.add(key.getValue());
					return true;
				}
				return false;
			});
			release(cache, token, written, false);
		}
		if (!mine.isEmpty()) {
			values.putAll(loadAndWrite(cache, settings, type, token, mine, loader));
		}
		for (Map.Entry<K, CacheKeyspace.EntryKeys> key : theirs.entrySet()) {
			K k = key.getKey();
			values.put(key.getValue().value(), this.runtime.loader().getOrLoad(cache, settings, this.runtime.id(k), type,
					List.of(), () -> loader.apply(Set.of(k)).get(k), () -> loader.apply(Set.of(k)).get(k)));
		}
		return values;
	}


	/**
	 * Takes the loader lock of every missing key in one round trip.
	 * @return {@code false} when Redis could not be asked (the caller loads without locks)
	 */
	private <K> boolean acquireAll(String cache, CacheSettings settings, String token,
			Map<K, CacheKeyspace.EntryKeys> missing, Map<K, CacheKeyspace.EntryKeys> mine,
			Map<K, CacheKeyspace.EntryKeys> theirs) {
		if (!this.runtime.breaker().tryAcquire()) {
			this.runtime.failures().redisFailed(cache, "lock", null);
			return false;
		}
		RedisBatch pipeline = new RedisBatch(this.runtime.redis().getRequiredConnectionFactory());
		String lease = Long.toString(settings.lockLease().toMillis());
		for (CacheKeyspace.EntryKeys k : missing.values()) {
			pipeline.script(this.runtime.loaderLocks().acquireScript(), List.of(k.lock()), List.of(token, lease));
		}
		List<@Nullable Object> acquired;
		try {
			acquired = pipeline.execute();
			this.runtime.breaker().recordSuccess();
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "lock", ex);
			return false;
		}
		int i = 0;
		for (Map.Entry<K, CacheKeyspace.EntryKeys> key : missing.entrySet()) {
			(Long.valueOf(1).equals(acquired.get(i++)) ? mine : theirs).put(key.getKey(), key.getValue());
		}
		return true;
	}


	private <K, T> Map<String, @Nullable T> loadAndWrite(String cache, CacheSettings settings, Type type, String token,
			Map<K, CacheKeyspace.EntryKeys> mine,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		List<CacheKeyspace.EntryKeys> locked = List.copyOf(mine.values());
		long lease = settings.lockLease().toMillis();
		ScheduledFuture<?> renewal = this.runtime.lockedLoader().renewals()
			.scheduleAtFixedRate(() -> extend(cache, token, locked, lease), lease / 3, lease / 3, TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		Map<? extends K, ? extends @Nullable T> loaded;
		try {
			loaded = loader.apply(new LinkedHashSet<>(mine.keySet()));
		}
		catch (RuntimeException | Error ex) {
			renewal.cancel(false);
			this.runtime.metrics().load(cache, "failure", Duration.ofNanos(System.nanoTime() - start));
			release(cache, token, locked, true);
			throw ex;
		}
		renewal.cancel(false);
		long computeNanos = System.nanoTime() - start;
		this.runtime.metrics().load(cache, "success", Duration.ofNanos(computeNanos));
		this.runtime.statistics(cache).loads.increment();
		Map<String, @Nullable T> values = new LinkedHashMap<>();
		RedisBatch writes = new RedisBatch(this.runtime.redis().getRequiredConnectionFactory());
		List<CacheKeyspace.EntryKeys> notStored = new ArrayList<>();
		List<CacheKeyspace.EntryKeys> stored = new ArrayList<>();
		for (Map.Entry<K, CacheKeyspace.EntryKeys> key : mine.entrySet()) {
			CacheKeyspace.EntryKeys k = key.getValue();
			T value = (loaded != null) ? loaded.get(key.getKey()) : null;
			values.put(k.value(), value);
			if (value == null && settings.cacheNulls() == null) {
				notStored.add(k);
				continue;
			}
			CacheEntryCodec.Written written;
			try {
				written = this.runtime.codec().encode(cache, k, settings, value, TimeUnit.NANOSECONDS.toMillis(computeNanos));
				this.runtime.codec().requireReadable(type, value, written);
			}
			catch (CacheEntryCodec.EncodeFailedException ex) {
				logger.warn("Cannot encode a value of cache '" + cache + "' as JSON; not cached", ex.getCause());
				notStored.add(k);
				continue;
			}
			catch (CacheEntryCodec.UnreadableTypeException ex) {
				release(cache, token, locked, true);
				throw ex;
			}
			writes.script(this.runtime.lockedLoader().fencedWriteScript(), List.of(k.value(), k.lock()), List.of(token,
					written.entry(), Long.toString(written.ttlMillis()), this.runtime.wakeUps().channel(), k.value()));
			stored.add(k);
		}
		try {
			List<@Nullable Object> results = writes.execute();
			this.runtime.breaker().recordSuccess();
			for (int i = 0; i < results.size(); i++) {
				if (Long.valueOf(1).equals(results.get(i))) {
					this.runtime.metrics().put(cache);
				}
				else {
					// the lease expired or an invalidation deleted the lock: not stored, wake the waiters
					notStored.add(stored.get(i));
				}
			}
			stored.removeAll(notStored);
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "write", ex);
		}
		release(cache, token, stored, false);
		release(cache, token, notStored, true);
		return values;
	}


	private void extend(String cache, String token, List<CacheKeyspace.EntryKeys> locked, long leaseMillis) {
		RedisBatch pipeline = new RedisBatch(this.runtime.redis().getRequiredConnectionFactory());
		for (CacheKeyspace.EntryKeys k : locked) {
			pipeline.script(this.runtime.loaderLocks().extendScript(), List.of(k.lock()),
					List.of(token, Long.toString(leaseMillis)));
		}
		try {
			pipeline.execute();
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "lock", ex);
		}
	}


	/** Releases loader locks in one round trip; with {@code wake}, tells waiters to look again. */
	private void release(String cache, String token, List<CacheKeyspace.EntryKeys> locked, boolean wake) {
		if (locked.isEmpty()) {
			return;
		}
		RedisBatch pipeline = new RedisBatch(this.runtime.redis().getRequiredConnectionFactory());
		for (CacheKeyspace.EntryKeys k : locked) {
			pipeline.script(this.runtime.loaderLocks().releaseScript(), List.of(k.lock()), List.of(token));
			if (wake) {
				pipeline.publish(this.runtime.wakeUps().channel(), k.value());
			}
		}
		try {
			pipeline.execute();
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "lock", ex);
		}
	}


	<K, T> Map<? extends K, ? extends @Nullable T> timedLoad(String cache, Set<K> keys,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		long start = System.nanoTime();
		try {
			Map<? extends K, ? extends @Nullable T> loaded = loader.apply(new LinkedHashSet<>(keys));
			this.runtime.metrics().load(cache, "success", Duration.ofNanos(System.nanoTime() - start));
			this.runtime.statistics(cache).loads.increment();
			return (loaded != null) ? loaded : Map.of();
		}
		catch (RuntimeException | Error ex) {
			this.runtime.metrics().load(cache, "failure", Duration.ofNanos(System.nanoTime() - start));
			throw ex;
		}
	}


	static <K, T> Map<String, @Nullable T> byValueKey(Map<K, CacheKeyspace.EntryKeys> keys,
			Map<? extends K, ? extends @Nullable T> loaded) {
		Map<String, @Nullable T> values = new LinkedHashMap<>();
		keys.forEach((key, k) -> values.put(k.value(), loaded.get(key)));
		return values;
	}


}
