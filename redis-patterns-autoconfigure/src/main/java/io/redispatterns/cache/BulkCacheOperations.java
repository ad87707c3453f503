package io.redispatterns.cache;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link CacheTemplate#getAll} and {@link CacheTemplate#putAll} of {@link RedisCacheTemplate}: every
 * step is one {@link CachePipeline} (one round trip per Redis node).
 * <p>
 * A {@code getAll} with a loader reads every key ({@code MGET}), then takes the loader locks of the
 * missing keys (one acquire script per key, pipelined), re-reads the keys it locked (a previous holder
 * may have written them between the read and the lock), calls the loader once with the keys still
 * missing while renewing their leases together, stores its results with the fenced write (pipelined)
 * and releases the locks (pipelined). Keys whose lock another caller holds are then read as single
 * {@code getOrLoad}s do: they wait for that caller's wake-up and load singly only if it gives up. Redis
 * being unreachable means the loader is called with every key that was not read, as single gets do.
 */
final class BulkCacheOperations {

	private static final Log logger = LogFactory.getLog(BulkCacheOperations.class);

	private final RedisCacheTemplate template;

	BulkCacheOperations(RedisCacheTemplate template) {
		this.template = template;
	}

	<K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Type type) {
		Batch<K> batch = new Batch<>(cache, keys);
		Read<T> read = readAll(cache, batch.entries(), type, true);
		Map<K, T> found = new LinkedHashMap<>();
		for (Map.Entry<K, RedisCacheTemplate.EntryKeys> key : batch.byKey().entrySet()) {
			RedisCacheTemplate.Decoded<T> decoded = read.entries().get(key.getValue().value());
			if (decoded != null && decoded.value() != null) {
				found.put(key.getKey(), decoded.value());
			}
		}
		return found;
	}

	<K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Type type,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		CacheSettings settings = this.template.settings(cache);
		Batch<K> batch = new Batch<>(cache, keys);
		Read<T> read = readAll(cache, batch.entries(), type, true);
		Map<String, @Nullable T> values = new LinkedHashMap<>();
		Map<K, RedisCacheTemplate.EntryKeys> missing = new LinkedHashMap<>();
		for (Map.Entry<K, RedisCacheTemplate.EntryKeys> key : batch.byKey().entrySet()) {
			RedisCacheTemplate.EntryKeys k = key.getValue();
			RedisCacheTemplate.Decoded<T> decoded = read.entries().get(k.value());
			if (decoded != null) {
				values.put(k.value(), decoded.value());
				refreshIfDue(cache, settings, k, type, decoded, key.getKey(), loader);
			}
			else if (!missing.containsValue(k)) {
				missing.put(key.getKey(), k);
			}
		}
		if (!missing.isEmpty()) {
			if (read.failed()) {
				// Redis is unreachable: load without locks, as single gets do
				values.putAll(byValueKey(missing, timedLoad(cache, missing.keySet(), loader)));
			}
			else {
				values.putAll(loadMissing(cache, settings, type, missing, loader));
			}
		}
		Map<K, T> found = new LinkedHashMap<>();
		for (Map.Entry<K, RedisCacheTemplate.EntryKeys> key : batch.byKey().entrySet()) {
			T value = values.get(key.getValue().value());
			if (value != null) {
				found.put(key.getKey(), value);
			}
		}
		return found;
	}

	void putAll(String cache, Map<?, ?> entries, @Nullable Duration ttl) {
		CacheSettings settings = this.template.settings(cache);
		CacheSettings written = (ttl != null) ? settings
			.withStaleWhileRevalidate((settings.staleWhileRevalidate().compareTo(ttl) > 0) ? ttl
					: settings.staleWhileRevalidate())
			.withTtl(ttl) : settings;
		CachePipeline pipeline = new CachePipeline(this.template.redis());
		int stored = 0;
		for (Map.Entry<?, ?> entry : entries.entrySet()) {
			RedisCacheTemplate.EntryKeys k = this.template.entryKeys(cache, this.template.id(entry.getKey()));
			if (entry.getValue() == null && settings.cacheNulls() == null) {
				pipeline.unlink(List.of(k.value(), k.lock()));
				continue;
			}
			RedisCacheTemplate.Written encoded;
			try {
				encoded = this.template.encode(written, entry.getValue(), 0);
			}
			catch (RedisCacheTemplate.EncodeFailedException ex) {
				logger.warn("Cannot encode a value of cache '" + cache + "' as JSON; not cached", ex.getCause());
				continue;
			}
			pipeline.set(k.value(), encoded.entry(), encoded.ttlMillis());
			stored++;
		}
		if (pipeline.isEmpty()) {
			return;
		}
		if (!this.template.breaker().tryAcquire()) {
			this.template.redisFailed(cache, "write", null);
			return;
		}
		try {
			pipeline.execute();
			this.template.breaker().recordSuccess();
			for (int i = 0; i < stored; i++) {
				this.template.metrics().put(cache);
			}
		}
		catch (RuntimeException ex) {
			this.template.redisFailed(cache, "write", ex);
		}
	}

	/**
	 * Reads entries with one {@code MGET} (split per slot on Cluster) and counts each key as a get.
	 * @return the decoded entries by value key, and whether Redis could not be read
	 */
	private <T> Read<T> readAll(String cache,
			List<RedisCacheTemplate.EntryKeys> entries, Type type, boolean count) {
		Map<String, RedisCacheTemplate.Decoded<T>> decoded = new LinkedHashMap<>();
		if (entries.isEmpty()) {
			return new Read<>(decoded, false);
		}
		CacheStatistics stats = this.template.statistics(cache);
		List<@Nullable String> raws = null;
		if (this.template.breaker().tryAcquire()) {
			try {
				CachePipeline pipeline = new CachePipeline(this.template.redis());
				pipeline.mget(entries.stream().map(RedisCacheTemplate.EntryKeys::value).toList());
				@SuppressWarnings("unchecked")
				List<@Nullable String> replies = (List<@Nullable String>) pipeline.execute().get(0);
				raws = replies;
				this.template.breaker().recordSuccess();
			}
			catch (RuntimeException ex) {
				this.template.redisFailed(cache, "read", ex);
			}
		}
		else {
			this.template.redisFailed(cache, "read", null);
		}
		if (raws == null) {
			for (int i = 0; i < entries.size() && count; i++) {
				this.template.countError(cache, stats);
			}
			return new Read<>(decoded, true);
		}
		long now = System.currentTimeMillis();
		for (int i = 0; i < entries.size(); i++) {
			RedisCacheTemplate.EntryKeys k = entries.get(i);
			String raw = raws.get(i);
			RedisCacheTemplate.Decoded<T> entry = (raw != null) ? this.template.decode(cache, k, raw, type) : null;
			if (entry != null) {
				decoded.put(k.value(), entry);
			}
			if (count) {
				String result = (entry == null) ? "miss" : (now >= entry.entry().softExpiryMillis()) ? "stale" : "hit";
				(switch (result) {
					case "miss" -> stats.misses;
					case "stale" -> stats.stale;
					default -> stats.hits;
				}).increment();
				this.template.metrics().get(cache, result);
			}
		}
		return new Read<>(decoded, false);
	}

	private record Read<T>(Map<String, RedisCacheTemplate.Decoded<T>> entries, boolean failed) {
	}

	private <K, T> void refreshIfDue(String cache, CacheSettings settings, RedisCacheTemplate.EntryKeys k, Type type,
			RedisCacheTemplate.Decoded<T> decoded, K key,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		long now = System.currentTimeMillis();
		CacheEntry entry = decoded.entry();
		boolean stale = now >= entry.softExpiryMillis();
		if (stale || (settings.earlyRefreshBeta() > 0
				&& RedisCacheTemplate.xfetch(entry, settings.earlyRefreshBeta(), now))) {
			this.template.refreshInBackground(cache, settings, k, type, List.of(),
					() -> loader.apply(Set.of(key)).get(key), entry.softExpiryMillis());
		}
	}

	/** Locks, re-reads, loads and writes the missing keys; waits for those another caller holds. */
	private <K, T> Map<String, @Nullable T> loadMissing(String cache, CacheSettings settings, Type type,
			Map<K, RedisCacheTemplate.EntryKeys> missing,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		String token = UUID.randomUUID().toString();
		Map<K, RedisCacheTemplate.EntryKeys> mine = new LinkedHashMap<>();
		Map<K, RedisCacheTemplate.EntryKeys> theirs = new LinkedHashMap<>();
		if (!acquireAll(cache, settings, token, missing, mine, theirs)) {
			return byValueKey(missing, timedLoad(cache, missing.keySet(), loader));
		}
		Map<String, @Nullable T> values = new LinkedHashMap<>();
		if (!mine.isEmpty()) {
			// another caller may have written a key between our read and our lock
			Map<String, RedisCacheTemplate.Decoded<T>> current = this.<T>readAll(cache, List.copyOf(mine.values()), type,
					false).entries();
			List<RedisCacheTemplate.EntryKeys> written = new ArrayList<>();
			mine.entrySet().removeIf((key) -> {
				RedisCacheTemplate.Decoded<T> decoded = current.get(key.getValue().value());
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
		for (Map.Entry<K, RedisCacheTemplate.EntryKeys> key : theirs.entrySet()) {
			K k = key.getKey();
			values.put(key.getValue().value(), this.template.getOrLoad(cache, settings, this.template.id(k), type,
					List.of(), () -> loader.apply(Set.of(k)).get(k), () -> loader.apply(Set.of(k)).get(k)));
		}
		return values;
	}

	/**
	 * Takes the loader lock of every missing key in one round trip.
	 * @return {@code false} when Redis could not be asked (the caller loads without locks)
	 */
	private <K> boolean acquireAll(String cache, CacheSettings settings, String token,
			Map<K, RedisCacheTemplate.EntryKeys> missing, Map<K, RedisCacheTemplate.EntryKeys> mine,
			Map<K, RedisCacheTemplate.EntryKeys> theirs) {
		if (!this.template.breaker().tryAcquire()) {
			this.template.redisFailed(cache, "lock", null);
			return false;
		}
		CachePipeline pipeline = new CachePipeline(this.template.redis());
		String lease = Long.toString(settings.lockLease().toMillis());
		for (RedisCacheTemplate.EntryKeys k : missing.values()) {
			pipeline.script(this.template.loaderLocks().acquireScript(), List.of(k.lock()), List.of(token, lease));
		}
		List<@Nullable Object> acquired;
		try {
			acquired = pipeline.execute();
			this.template.breaker().recordSuccess();
		}
		catch (RuntimeException ex) {
			this.template.redisFailed(cache, "lock", ex);
			return false;
		}
		int i = 0;
		for (Map.Entry<K, RedisCacheTemplate.EntryKeys> key : missing.entrySet()) {
			(Long.valueOf(1).equals(acquired.get(i++)) ? mine : theirs).put(key.getKey(), key.getValue());
		}
		return true;
	}

	private <K, T> Map<String, @Nullable T> loadAndWrite(String cache, CacheSettings settings, Type type, String token,
			Map<K, RedisCacheTemplate.EntryKeys> mine,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		List<RedisCacheTemplate.EntryKeys> locked = List.copyOf(mine.values());
		long lease = settings.lockLease().toMillis();
		ScheduledFuture<?> renewal = this.template.renewals()
			.scheduleAtFixedRate(() -> extend(cache, token, locked, lease), lease / 3, lease / 3, TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		Map<? extends K, ? extends @Nullable T> loaded;
		try {
			loaded = loader.apply(new LinkedHashSet<>(mine.keySet()));
		}
		catch (RuntimeException | Error ex) {
			renewal.cancel(false);
			this.template.metrics().load(cache, "failure", Duration.ofNanos(System.nanoTime() - start));
			release(cache, token, locked, true);
			throw ex;
		}
		renewal.cancel(false);
		long computeNanos = System.nanoTime() - start;
		this.template.metrics().load(cache, "success", Duration.ofNanos(computeNanos));
		this.template.statistics(cache).loads.increment();
		Map<String, @Nullable T> values = new LinkedHashMap<>();
		CachePipeline writes = new CachePipeline(this.template.redis());
		List<RedisCacheTemplate.EntryKeys> notStored = new ArrayList<>();
		List<RedisCacheTemplate.EntryKeys> stored = new ArrayList<>();
		for (Map.Entry<K, RedisCacheTemplate.EntryKeys> key : mine.entrySet()) {
			RedisCacheTemplate.EntryKeys k = key.getValue();
			T value = (loaded != null) ? loaded.get(key.getKey()) : null;
			values.put(k.value(), value);
			if (value == null && settings.cacheNulls() == null) {
				notStored.add(k);
				continue;
			}
			RedisCacheTemplate.Written written;
			try {
				written = this.template.encode(settings, value, TimeUnit.NANOSECONDS.toMillis(computeNanos));
				this.template.requireReadable(type, value, written);
			}
			catch (RedisCacheTemplate.EncodeFailedException ex) {
				logger.warn("Cannot encode a value of cache '" + cache + "' as JSON; not cached", ex.getCause());
				notStored.add(k);
				continue;
			}
			catch (RedisCacheTemplate.UnreadableTypeException ex) {
				release(cache, token, locked, true);
				throw ex;
			}
			writes.script(this.template.fencedWriteScript(), List.of(k.value(), k.lock()), List.of(token,
					written.entry(), Long.toString(written.ttlMillis()), this.template.wakeUpChannel(), k.value()));
			stored.add(k);
		}
		try {
			List<@Nullable Object> results = writes.execute();
			this.template.breaker().recordSuccess();
			for (int i = 0; i < results.size(); i++) {
				if (Long.valueOf(1).equals(results.get(i))) {
					this.template.metrics().put(cache);
				}
				else {
					// the lease expired or an invalidation deleted the lock: not stored, wake the waiters
					notStored.add(stored.get(i));
				}
			}
			stored.removeAll(notStored);
		}
		catch (RuntimeException ex) {
			this.template.redisFailed(cache, "write", ex);
		}
		release(cache, token, stored, false);
		release(cache, token, notStored, true);
		return values;
	}

	private void extend(String cache, String token, List<RedisCacheTemplate.EntryKeys> locked, long leaseMillis) {
		CachePipeline pipeline = new CachePipeline(this.template.redis());
		for (RedisCacheTemplate.EntryKeys k : locked) {
			pipeline.script(this.template.loaderLocks().extendScript(), List.of(k.lock()),
					List.of(token, Long.toString(leaseMillis)));
		}
		try {
			pipeline.execute();
		}
		catch (RuntimeException ex) {
			this.template.redisFailed(cache, "lock", ex);
		}
	}

	/** Releases loader locks in one round trip; with {@code wake}, tells waiters to look again. */
	private void release(String cache, String token, List<RedisCacheTemplate.EntryKeys> locked, boolean wake) {
		if (locked.isEmpty()) {
			return;
		}
		CachePipeline pipeline = new CachePipeline(this.template.redis());
		for (RedisCacheTemplate.EntryKeys k : locked) {
			pipeline.script(this.template.loaderLocks().releaseScript(), List.of(k.lock()), List.of(token));
			if (wake) {
				pipeline.publish(this.template.wakeUpChannel(), k.value());
			}
		}
		try {
			pipeline.execute();
		}
		catch (RuntimeException ex) {
			this.template.redisFailed(cache, "lock", ex);
		}
	}

	private <K, T> Map<? extends K, ? extends @Nullable T> timedLoad(String cache, Set<K> keys,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		long start = System.nanoTime();
		try {
			Map<? extends K, ? extends @Nullable T> loaded = loader.apply(new LinkedHashSet<>(keys));
			this.template.metrics().load(cache, "success", Duration.ofNanos(System.nanoTime() - start));
			this.template.statistics(cache).loads.increment();
			return (loaded != null) ? loaded : Map.of();
		}
		catch (RuntimeException | Error ex) {
			this.template.metrics().load(cache, "failure", Duration.ofNanos(System.nanoTime() - start));
			throw ex;
		}
	}

	private static <K, T> Map<String, @Nullable T> byValueKey(Map<K, RedisCacheTemplate.EntryKeys> keys,
			Map<? extends K, ? extends @Nullable T> loaded) {
		Map<String, @Nullable T> values = new LinkedHashMap<>();
		keys.forEach((key, k) -> values.put(k.value(), loaded.get(key)));
		return values;
	}

	/** The requested keys with their entry keys; keys with one string form are read once. */
	private final class Batch<K> {

		private final Map<K, RedisCacheTemplate.EntryKeys> byKey = new LinkedHashMap<>();

		private final List<RedisCacheTemplate.EntryKeys> entries = new ArrayList<>();

		Batch(String cache, Collection<? extends K> keys) {
			Set<String> seen = new LinkedHashSet<>();
			for (K key : keys) {
				RedisCacheTemplate.EntryKeys k = BulkCacheOperations.this.template.entryKeys(cache,
						BulkCacheOperations.this.template.id(key));
				this.byKey.put(key, k);
				if (seen.add(k.value())) {
					this.entries.add(k);
				}
			}
		}

		Map<K, RedisCacheTemplate.EntryKeys> byKey() {
			return this.byKey;
		}

		List<RedisCacheTemplate.EntryKeys> entries() {
			return this.entries;
		}

	}

}
