package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.core.RedisBatch;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link CacheTemplate#getAll} and {@link CacheTemplate#putAll} of {@link RedisCacheTemplate}: every
 * step is one {@link RedisBatch} (one round trip per Redis node).
 * <p>
 * Missing keys are loaded by {@link BulkLoader}.
 */
final class BulkCacheOperations {

	private static final Log logger = LogFactory.getLog(BulkCacheOperations.class);

	private final CacheRuntime runtime;

	private final BulkLoader loader;

	BulkCacheOperations(CacheRuntime runtime) {
		this.runtime = runtime;
		this.loader = new BulkLoader(runtime, this);
	}

	<K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Type type) {
		Batch<K> batch = new Batch<>(cache, keys);
		Read<T> read = readAll(cache, batch.entries(), type, true);
		Map<K, T> found = new LinkedHashMap<>();
		for (Map.Entry<K, CacheKeyspace.EntryKeys> key : batch.byKey().entrySet()) {
			CacheEntryCodec.Decoded<T> decoded = read.entries().get(key.getValue().value());
			if (decoded != null && decoded.value() != null) {
				found.put(key.getKey(), decoded.value());
			}
		}
		return found;
	}

	<K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Type type,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		CacheSettings settings = this.runtime.settings(cache);
		Batch<K> batch = new Batch<>(cache, keys);
		Read<T> read = readAll(cache, batch.entries(), type, true);
		Map<String, @Nullable T> values = new LinkedHashMap<>();
		Map<K, CacheKeyspace.EntryKeys> missing = new LinkedHashMap<>();
		for (Map.Entry<K, CacheKeyspace.EntryKeys> key : batch.byKey().entrySet()) {
			CacheKeyspace.EntryKeys k = key.getValue();
			CacheEntryCodec.Decoded<T> decoded = read.entries().get(k.value());
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
				values.putAll(BulkLoader.byValueKey(missing, this.loader.timedLoad(cache, missing.keySet(), loader)));
			}
			else {
				values.putAll(this.loader.loadMissing(cache, settings, type, missing, loader));
			}
		}
		Map<K, T> found = new LinkedHashMap<>();
		for (Map.Entry<K, CacheKeyspace.EntryKeys> key : batch.byKey().entrySet()) {
			T value = values.get(key.getValue().value());
			if (value != null) {
				found.put(key.getKey(), value);
			}
		}
		return found;
	}

	void putAll(String cache, Map<?, ?> entries, @Nullable Duration ttl) {
		CacheSettings settings = this.runtime.settings(cache);
		CacheSettings written = (ttl != null) ? settings
			.withStaleWhileRevalidate((settings.staleWhileRevalidate().compareTo(ttl) > 0) ? ttl
					: settings.staleWhileRevalidate())
			.withTtl(ttl) : settings;
		RedisBatch pipeline = new RedisBatch(this.runtime.redis().getRequiredConnectionFactory());
		int stored = 0;
		List<String> writtenKeys = new ArrayList<>(entries.size());
		for (Map.Entry<?, ?> entry : entries.entrySet()) {
			CacheKeyspace.EntryKeys k = this.runtime.entryKeys(cache, this.runtime.id(entry.getKey()));
			writtenKeys.add(k.value());
			if (entry.getValue() == null && settings.cacheNulls() == null) {
				pipeline.unlink(List.of(k.value(), k.lock()));
				continue;
			}
			CacheEntryCodec.Written encoded;
			try {
				encoded = this.runtime.codec().encode(cache, k, written, entry.getValue(), 0);
			}
			catch (CacheEntryCodec.EncodeFailedException ex) {
				logger.warn("Cannot encode a value of cache '" + cache + "' as JSON; not cached", ex.getCause());
				continue;
			}
			pipeline.set(k.value(), encoded.entry(), encoded.ttlMillis());
			stored++;
		}
		if (pipeline.isEmpty()) {
			return;
		}
		if (!this.runtime.breaker().tryAcquire()) {
			this.runtime.failures().redisFailed(cache, "write", null);
			return;
		}
		try {
			pipeline.execute();
			// this instance's own writes: no copy of the previous values may be served after they return
			writtenKeys.forEach((valueKey) -> this.runtime.nearInvalidate(cache, valueKey));
			this.runtime.breaker().recordSuccess();
			for (int i = 0; i < stored; i++) {
				this.runtime.metrics().put(cache);
			}
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "write", ex);
		}
	}

	/**
	 * Reads entries with one {@code MGET} (split per slot on Cluster) and counts each key as a get.
	 * @return the decoded entries by value key, and whether Redis could not be read
	 */
	<T> Read<T> readAll(String cache,
			List<CacheKeyspace.EntryKeys> entries, Type type, boolean count) {
		Map<String, CacheEntryCodec.Decoded<T>> decoded = new LinkedHashMap<>();
		if (entries.isEmpty()) {
			return new Read<>(decoded, false);
		}
		CacheStatistics stats = this.runtime.statistics(cache);
		List<@Nullable String> raws = null;
		if (this.runtime.breaker().tryAcquire()) {
			try {
				RedisBatch pipeline = new RedisBatch(this.runtime.redis().getRequiredConnectionFactory());
				pipeline.mget(entries.stream().map(CacheKeyspace.EntryKeys::value).toList());
				@SuppressWarnings("unchecked")
				List<@Nullable String> replies = (List<@Nullable String>) pipeline.execute().get(0);
				raws = replies;
				this.runtime.breaker().recordSuccess();
			}
			catch (RuntimeException ex) {
				this.runtime.failures().redisFailed(cache, "read", ex);
			}
		}
		else {
			this.runtime.failures().redisFailed(cache, "read", null);
		}
		if (raws == null) {
			for (int i = 0; i < entries.size() && count; i++) {
				this.runtime.countError(cache, stats);
			}
			return new Read<>(decoded, true);
		}
		long now = System.currentTimeMillis();
		for (int i = 0; i < entries.size(); i++) {
			CacheKeyspace.EntryKeys k = entries.get(i);
			String raw = raws.get(i);
			CacheEntryCodec.Decoded<T> entry = (raw != null) ? this.runtime.reader().decode(cache, k, raw, type) : null;
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
				this.runtime.metrics().get(cache, result);
			}
		}
		return new Read<>(decoded, false);
	}

	record Read<T>(Map<String, CacheEntryCodec.Decoded<T>> entries, boolean failed) {
	}

	private <K, T> void refreshIfDue(String cache, CacheSettings settings, CacheKeyspace.EntryKeys k, Type type,
			CacheEntryCodec.Decoded<T> decoded, K key,
			Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		long now = System.currentTimeMillis();
		CacheEntry entry = decoded.entry();
		boolean stale = now >= entry.softExpiryMillis();
		if (stale || (settings.earlyRefreshBeta() > 0
				&& DistributedLoader.xfetch(entry, settings.earlyRefreshBeta(), now))) {
			this.runtime.refresh().refreshInBackground(cache, settings, k, type, List.of(),
					() -> loader.apply(Set.of(key)).get(key), entry.softExpiryMillis());
		}
	}

	/** The requested keys with their entry keys; keys with one string form are read once. */
	private final class Batch<K> {

		private final Map<K, CacheKeyspace.EntryKeys> byKey = new LinkedHashMap<>();

		private final List<CacheKeyspace.EntryKeys> entries = new ArrayList<>();

		Batch(String cache, Collection<? extends K> keys) {
			Set<String> seen = new LinkedHashSet<>();
			for (K key : keys) {
				CacheKeyspace.EntryKeys k = BulkCacheOperations.this.runtime.entryKeys(cache,
						BulkCacheOperations.this.runtime.id(key));
				this.byKey.put(key, k);
				if (seen.add(k.value())) {
					this.entries.add(k);
				}
			}
		}

		Map<K, CacheKeyspace.EntryKeys> byKey() {
			return this.byKey;
		}

		List<CacheKeyspace.EntryKeys> entries() {
			return this.entries;
		}

	}

}
