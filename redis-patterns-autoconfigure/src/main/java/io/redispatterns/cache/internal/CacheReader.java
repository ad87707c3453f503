package io.redispatterns.cache.internal;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * Reading entries with the blocking template: one {@code GET}, decoded by {@link CacheEntryCodec}; an
 * entry that does not decode is counted and unlinked; a failed read is counted and taken as a miss.
 */
final class CacheReader {

	private final RedisCacheTemplate template;

	CacheReader(RedisCacheTemplate template) {
		this.template = template;
	}

	/** Reads an entry without loading: one {@code GET}, counted as a hit, a stale hit, a miss or an error. */
	<T> RedisCacheTemplate.Lookup<T> lookup(String cache, Object key, Type type) {
		CacheKeyspace.EntryKeys k = this.template.entryKeys(cache, this.template.id(key));
		CacheStatistics stats = this.template.statistics(cache);
		if (!this.template.breaker().tryAcquire()) {
			this.template.countError(cache, stats);
			return RedisCacheTemplate.Lookup.miss();
		}
		String raw;
		try {
			raw = this.template.redis().opsForValue().get(k.value());
			this.template.breaker().recordSuccess();
		}
		catch (RuntimeException ex) {
			this.template.failures().redisFailed(cache, "read", ex);
			this.template.countError(cache, stats);
			return RedisCacheTemplate.Lookup.miss();
		}
		CacheEntryCodec.Decoded<T> decoded = (raw != null) ? decode(cache, k, raw, type) : null;
		if (decoded == null) {
			stats.misses.increment();
			this.template.metrics().get(cache, "miss");
			return RedisCacheTemplate.Lookup.miss();
		}
		boolean stale = System.currentTimeMillis() >= decoded.entry().softExpiryMillis();
		(stale ? stats.stale : stats.hits).increment();
		this.template.metrics().get(cache, stale ? "stale" : "hit");
		return new RedisCacheTemplate.Lookup<>(true, decoded.value());
	}


	<T> CacheEntryCodec.@Nullable Decoded<T> decode(String cache, CacheKeyspace.EntryKeys k, String raw, Type type) {
		return this.template.codec().decode(cache, k, raw, type, (undecodable) -> evictUndecodable(cache, undecodable));
	}


	<T> CacheEntryCodec.@Nullable Decoded<T> readQuietly(String cache, CacheKeyspace.EntryKeys k, Type type) {
		try {
			String raw = this.template.redis().opsForValue().get(k.value());
			return (raw != null) ? decode(cache, k, raw, type) : null;
		}
		catch (RuntimeException ex) {
			this.template.failures().redisFailed(cache, "read", ex);
			return null;
		}
	}


	private void evictUndecodable(String cache, CacheKeyspace.EntryKeys k) {
		try {
			this.template.redis().unlink(k.value());
		}
		catch (RuntimeException ex) {
			this.template.failures().redisFailed(cache, "evict", ex);
		}
	}


}
