package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Reading entries with the blocking template: one {@code GET} (or a near cache's copy, no command), decoded by
 * {@link CacheEntryCodec}; an entry that does not decode is counted and unlinked; a failed read is counted and taken
 * as a miss.
 */
final class CacheReader {

	private final CacheRuntime runtime;

	/** Evicts an entry that does not decode (one instance: a hit allocates no callback). */
	private final BiConsumer<String, String> evictUndecodable = this::evictUndecodable;

	CacheReader(CacheRuntime runtime) {
		this.runtime = runtime;
	}

	/** Reads an entry without loading: one {@code GET}, counted as a hit, a stale hit, a miss or an error. */
	<T> RedisCacheTemplate.Lookup<T> lookup(String cache, Object key, Type type) {
		String valueKey = this.runtime.keyspace().valueKey(cache, this.runtime.id(key));
		CacheStatistics stats = this.runtime.statistics(cache);
		CacheEntryCodec.Decoded<T> decoded = nearCopy(cache, valueKey, type);
		if (decoded == null) {
			if (!this.runtime.breaker().tryAcquire()) {
				this.runtime.countError(cache, stats);
				return RedisCacheTemplate.Lookup.miss();
			}
			String raw;
			try {
				raw = get(cache, valueKey);
				this.runtime.breaker().recordSuccess();
			}
			catch (RuntimeException ex) {
				this.runtime.failures().redisFailed(cache, "read", ex);
				this.runtime.countError(cache, stats);
				return RedisCacheTemplate.Lookup.miss();
			}
			decoded = (raw != null) ? this.runtime.codec().decode(cache, valueKey, raw, type, this.evictUndecodable)
					: null;
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
	}

	<T> CacheEntryCodec.@Nullable Decoded<T> nearCopy(String cache, CacheKeyspace.EntryKeys k, Type type) {
		return nearCopy(cache, k.value(), type);
	}

	/**
	 * The near cache's copy of an entry, decoded: no Redis command. {@code null} when the cache has no near
	 * cache, the copy is missing or expired, or the tracking that keeps copies coherent is not on.
	 */
	@SuppressWarnings("unchecked")
	<T> CacheEntryCodec.@Nullable Decoded<T> nearCopy(String cache, String valueKey, Type type) {
		NearCache near = this.runtime.nearCaches().of(cache);
		NearCache.Copy copy = (near != null) ? near.get(valueKey) : null;
		if (copy == null) {
			return null;
		}
		NearCache.Decoded known = copy.decoded(type);
		if (known != null) {
			return new CacheEntryCodec.Decoded<>(copy.entry(), (T) known.value());
		}
		CacheEntryCodec.Decoded<T> decoded = this.runtime.codec().decode(cache, valueKey, copy.entry(), type,
				this.evictUndecodable);
		if (decoded != null) {
			copy.remember(type, decoded.value());
		}
		return decoded;
	}

	@Nullable String get(String cache, CacheKeyspace.EntryKeys k) {
		return get(cache, k.value());
	}

	/**
	 * One {@code GET} of an entry. With a near cache, the reply becomes the copy — unless the key was
	 * invalidated while the command was in flight (see {@link NearCache}).
	 */
	@Nullable String get(String cache, String valueKey) {
		NearCache near = this.runtime.nearCaches().of(cache);
		NearCache.Fill fill = (near != null) ? near.beginFill(valueKey) : null;
		if (near == null || fill == null) {
			return this.runtime.redis().opsForValue().get(valueKey);
		}
		String raw;
		try {
			raw = this.runtime.redis().opsForValue().get(valueKey);
		}
		catch (RuntimeException ex) {
			near.abandonFill(valueKey, fill);
			throw ex;
		}
		near.completeFill(valueKey, fill, raw);
		return raw;
	}

	<T> CacheEntryCodec.@Nullable Decoded<T> decode(String cache, CacheKeyspace.EntryKeys k, String raw, Type type) {
		return this.runtime.codec().decode(cache, k.value(), raw, type, this.evictUndecodable);
	}

	<T> CacheEntryCodec.@Nullable Decoded<T> readQuietly(String cache, CacheKeyspace.EntryKeys k, Type type) {
		try {
			String raw = this.runtime.redis().opsForValue().get(k.value());
			return (raw != null) ? decode(cache, k, raw, type) : null;
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "read", ex);
			return null;
		}
	}

	private void evictUndecodable(String cache, String valueKey) {
		this.runtime.nearInvalidate(cache, valueKey);
		try {
			this.runtime.redis().unlink(valueKey);
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "evict", ex);
		}
	}

}
