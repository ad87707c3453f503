package io.redispatterns.cache.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.redispatterns.cache.CacheMetrics;
import io.redispatterns.cache.NearCacheSettings;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory copies of one cache's entries, keyed by their Redis key.
 * <p>
 * A read that misses reserves the key with a {@link Fill} token before it sends its {@code GET}; the
 * reply is kept only if the token is still in place afterwards. Every invalidation (from Redis's
 * tracking, or from this instance's own writes) removes whatever the key holds, token included, so a
 * read that started before an invalidation can never store the value it read over the newer state.
 * A fill also records the tracking epoch: when the tracking connection was lost meanwhile, the value
 * is dropped even if a concurrent clear missed its token.
 * <p>
 * The size is bounded approximately: a fill that makes the map exceed {@code max-entries} removes a
 * batch of entries (expired ones, then arbitrary ones — not the least recently used).
 */
final class NearCache {

	private final String cache;

	private final int maxEntries;

	private final long ttlNanos;

	private final long stalePartMillis;

	private final CacheMetrics metrics;

	private final BooleanSupplier trusted;

	private final LongSupplier epoch;

	private final Map<String, Object> slots = new ConcurrentHashMap<>();

	/**
	 * @param stalePartMillis how long after an entry's soft expiry Redis still keeps it (the cache's
	 * stale-while-revalidate window), so that no copy outlives its Redis entry
	 * @param trusted whether the tracking connection is live (no copy is served or stored otherwise)
	 * @param epoch the tracking epoch, changed whenever the tracking connection was lost or regained
	 */
	NearCache(String cache, NearCacheSettings settings, long stalePartMillis, CacheMetrics metrics,
			BooleanSupplier trusted, LongSupplier epoch) {
		this.cache = cache;
		this.maxEntries = settings.maxEntries();
		this.ttlNanos = settings.ttl().toNanos();
		this.stalePartMillis = stalePartMillis;
		this.metrics = metrics;
		this.trusted = trusted;
		this.epoch = epoch;
	}

	String cache() {
		return this.cache;
	}

	int maxEntries() {
		return this.maxEntries;
	}

	java.time.Duration ttl() {
		return java.time.Duration.ofNanos(this.ttlNanos);
	}

	/** The copy of an entry, counted as a near hit or miss. */
	@Nullable Copy get(String valueKey) {
		Object slot = this.trusted.getAsBoolean() ? this.slots.get(valueKey) : null;
		if (slot instanceof Held held) {
			if (System.nanoTime() - held.expiresAtNanos < 0) {
				this.metrics.nearGet(this.cache, true);
				return held;
			}
			this.slots.remove(valueKey, held);
		}
		this.metrics.nearGet(this.cache, false);
		return null;
	}

	/**
	 * Reserves a key before its {@code GET}.
	 * @return the token to complete the fill with, or {@code null} when another read is filling it
	 */
	@Nullable Fill beginFill(String valueKey) {
		long epoch = this.epoch.getAsLong();
		if (!this.trusted.getAsBoolean()) {
			return null;
		}
		Fill fill = new Fill(epoch);
		Object previous = this.slots.putIfAbsent(valueKey, fill);
		if (previous == null) {
			return fill;
		}
		if (previous instanceof Held held && System.nanoTime() - held.expiresAtNanos >= 0
				&& this.slots.replace(valueKey, held, fill)) {
			return fill;
		}
		return null;
	}

	/** Keeps what the {@code GET} returned, unless the key was invalidated since {@link #beginFill}. */
	void completeFill(String valueKey, Fill fill, @Nullable String raw) {
		CacheEntry entry = (raw != null) ? CacheEntry.parse(raw) : null;
		if (entry == null) {
			this.slots.remove(valueKey, fill);
			return;
		}
		long nowNanos = System.nanoTime();
		long untilRedisExpiryNanos = (entry.softExpiryMillis() + (entry.isNull() ? 0 : this.stalePartMillis)
				- System.currentTimeMillis()) * 1_000_000L;
		long lifeNanos = Math.min(this.ttlNanos, untilRedisExpiryNanos);
		if (lifeNanos <= 0) {
			this.slots.remove(valueKey, fill);
			return;
		}
		Held held = new Held(entry, nowNanos + lifeNanos);
		if (!this.slots.replace(valueKey, fill, held)) {
			return;
		}
		if (this.epoch.getAsLong() != fill.epoch) {
			// the tracking connection was lost while this read was in flight
			this.slots.remove(valueKey, held);
			return;
		}
		if (this.slots.size() > this.maxEntries) {
			evictOverflow(nowNanos);
		}
	}

	/** Drops a failed read's reservation. */
	void abandonFill(String valueKey, Fill fill) {
		this.slots.remove(valueKey, fill);
	}

	/** Drops a key's copy (and any read in flight for it). */
	void invalidate(String valueKey) {
		if (this.slots.remove(valueKey) instanceof Held) {
			this.metrics.nearInvalidations(this.cache, 1);
		}
	}

	/** Drops every copy (and every read in flight). */
	void clear() {
		long dropped = 0;
		for (Iterator<Object> it = this.slots.values().iterator(); it.hasNext();) {
			if (it.next() instanceof Held) {
				dropped++;
			}
			it.remove();
		}
		if (dropped > 0) {
			this.metrics.nearInvalidations(this.cache, dropped);
		}
	}

	int size() {
		return this.slots.size();
	}

	/** Whether a copy of the key is held (for tests; a reservation of a read in flight is not a copy). */
	boolean holds(String valueKey) {
		return this.slots.get(valueKey) instanceof Held;
	}

	/** Removes expired entries, then arbitrary ones, down to about 15/16 of the bound (amortizes the scans). */
	private void evictOverflow(long nowNanos) {
		int target = this.maxEntries - this.maxEntries / 16;
		long evicted = 0;
		for (Iterator<Map.Entry<String, Object>> it = this.slots.entrySet().iterator(); it.hasNext()
				&& this.slots.size() > target;) {
			Map.Entry<String, Object> slot = it.next();
			if (slot.getValue() instanceof Held held && nowNanos - held.expiresAtNanos >= 0) {
				it.remove();
				evicted++;
			}
		}
		for (Iterator<Map.Entry<String, Object>> it = this.slots.entrySet().iterator(); it.hasNext()
				&& this.slots.size() > target;) {
			if (it.next().getValue() instanceof Held) {
				it.remove();
				evicted++;
			}
		}
		if (evicted > 0) {
			this.metrics.nearEvictions(this.cache, evicted);
		}
	}

	/** A read in flight; identity is what matters. */
	static final class Fill {

		private final long epoch;

		Fill(long epoch) {
			this.epoch = epoch;
		}

	}

	/**
	 * A copy of an entry as read from Redis, and its value as decoded by the first read that asked for
	 * it: later hits asking for the same type get that same instance without decoding again (which is
	 * most of a hit's cost). So, as with any in-memory cache, the values must not be changed by callers.
	 */
	interface Copy {

		CacheEntry entry();

		/** The value decoded as {@code type} by an earlier hit, or {@code null}. */
		@Nullable Decoded decoded(java.lang.reflect.Type type);

		/** Keeps the value decoded as {@code type} for the next hits. */
		void remember(java.lang.reflect.Type type, @Nullable Object value);

	}

	/** A decoded value and the type it was decoded as. */
	record Decoded(java.lang.reflect.Type type, @Nullable Object value) {
	}

	/** A copy and when it stops being served; compared by identity. */
	private static final class Held implements Copy {

		private final CacheEntry entry;

		private final long expiresAtNanos;

		private volatile @Nullable Decoded decoded;

		Held(CacheEntry entry, long expiresAtNanos) {
			this.entry = entry;
			this.expiresAtNanos = expiresAtNanos;
		}

		@Override
		public CacheEntry entry() {
			return this.entry;
		}

		@Override
		public @Nullable Decoded decoded(java.lang.reflect.Type type) {
			Decoded current = this.decoded;
			return (current != null && current.type().equals(type)) ? current : null;
		}

		@Override
		public void remember(java.lang.reflect.Type type, @Nullable Object value) {
			this.decoded = new Decoded(type, value);
		}

	}

}
