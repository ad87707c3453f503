package io.redispatterns.cache;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How one cache stores and loads its entries. Every {@code withXxx} returns a new instance.
 *
 * @param ttl how long an entry is fresh; entries are written with this TTL minus jitter
 * @param ttlJitter fraction (0 to 1) of the TTL by which each write's TTL is randomly shortened,
 * so that entries written together do not expire together
 * @param staleWhileRevalidate how long after its TTL an entry is still served (stale) while one
 * background refresh rewrites it; {@link Duration#ZERO} turns stale serving off
 * @param cacheNulls TTL of cached {@code null} results; {@code null} to not cache them
 * @param earlyRefreshBeta XFetch factor (Vattani et al., VLDB 2015) for probabilistic early
 * refresh of fresh entries; 0 turns it off, 1 is the usual value, larger refreshes earlier
 * @param lockWait how long a caller waits for another instance's loader before
 * {@code onLockTimeout} applies
 * @param lockLease lease of the loader lock, renewed every third of its length while loading
 * @param onLockTimeout what a caller does when the wait runs out
 */
public record CacheSettings(Duration ttl, double ttlJitter, Duration staleWhileRevalidate,
		@Nullable Duration cacheNulls, double earlyRefreshBeta, Duration lockWait, Duration lockLease,
		OnLockTimeout onLockTimeout) {

	/**
	 * Validates the values.
	 * @param ttl positive
	 * @param ttlJitter between 0 and 1
	 * @param staleWhileRevalidate zero or positive, not longer than the TTL
	 * @param cacheNulls positive when set
	 * @param earlyRefreshBeta zero or positive
	 * @param lockWait zero or positive
	 * @param lockLease at least 3ms
	 * @param onLockTimeout what to do when the wait runs out
	 */
	public CacheSettings {
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("Cache TTL must be positive, was " + ttl);
		}
		if (!(ttlJitter >= 0 && ttlJitter <= 1)) {
			throw new IllegalArgumentException("Cache TTL jitter must be between 0 and 1, was " + ttlJitter);
		}
		if (staleWhileRevalidate.isNegative() || staleWhileRevalidate.compareTo(ttl) > 0) {
			throw new IllegalArgumentException(
					"Stale-while-revalidate must be between 0 and the TTL (" + ttl + "), was " + staleWhileRevalidate);
		}
		if (cacheNulls != null && (cacheNulls.isNegative() || cacheNulls.isZero())) {
			throw new IllegalArgumentException("Null TTL must be positive, was " + cacheNulls);
		}
		if (!(earlyRefreshBeta >= 0) || Double.isInfinite(earlyRefreshBeta)) {
			throw new IllegalArgumentException("Early refresh beta must be zero or positive, was " + earlyRefreshBeta);
		}
		if (lockWait.isNegative()) {
			throw new IllegalArgumentException("Lock wait must not be negative, was " + lockWait);
		}
		if (lockLease.toMillis() < 3) {
			throw new IllegalArgumentException("Lock lease must be at least 3ms, was " + lockLease);
		}
	}

	/**
	 * Returns the defaults: one hour, 10% jitter, no stale serving, nulls not cached, no early
	 * refresh, 10s lock wait, 3s lock lease (renewed every second while loading, so an orphaned lock
	 * blocks callers for at most 3s), serve stale on lock timeout.
	 * @return the default settings
	 */
	public static CacheSettings defaults() {
		return new CacheSettings(Duration.ofHours(1), 0.1, Duration.ZERO, null, 0, Duration.ofSeconds(10),
				Duration.ofSeconds(3), OnLockTimeout.SERVE_STALE);
	}

	/**
	 * Returns a copy with the given TTL.
	 * @param ttl the TTL
	 * @return the new settings
	 */
	public CacheSettings withTtl(Duration ttl) {
		return new CacheSettings(ttl, this.ttlJitter, this.staleWhileRevalidate, this.cacheNulls,
				this.earlyRefreshBeta, this.lockWait, this.lockLease, this.onLockTimeout);
	}

	/**
	 * Returns a copy with the given jitter.
	 * @param ttlJitter fraction between 0 and 1
	 * @return the new settings
	 */
	public CacheSettings withTtlJitter(double ttlJitter) {
		return new CacheSettings(this.ttl, ttlJitter, this.staleWhileRevalidate, this.cacheNulls,
				this.earlyRefreshBeta, this.lockWait, this.lockLease, this.onLockTimeout);
	}

	/**
	 * Returns a copy with the given stale-while-revalidate window.
	 * @param staleWhileRevalidate the window
	 * @return the new settings
	 */
	public CacheSettings withStaleWhileRevalidate(Duration staleWhileRevalidate) {
		return new CacheSettings(this.ttl, this.ttlJitter, staleWhileRevalidate, this.cacheNulls,
				this.earlyRefreshBeta, this.lockWait, this.lockLease, this.onLockTimeout);
	}

	/**
	 * Returns a copy with the given null TTL.
	 * @param cacheNulls TTL of cached nulls, {@code null} to not cache them
	 * @return the new settings
	 */
	public CacheSettings withCacheNulls(@Nullable Duration cacheNulls) {
		return new CacheSettings(this.ttl, this.ttlJitter, this.staleWhileRevalidate, cacheNulls,
				this.earlyRefreshBeta, this.lockWait, this.lockLease, this.onLockTimeout);
	}

	/**
	 * Returns a copy with the given early refresh factor.
	 * @param earlyRefreshBeta XFetch beta, 0 to turn early refresh off
	 * @return the new settings
	 */
	public CacheSettings withEarlyRefreshBeta(double earlyRefreshBeta) {
		return new CacheSettings(this.ttl, this.ttlJitter, this.staleWhileRevalidate, this.cacheNulls,
				earlyRefreshBeta, this.lockWait, this.lockLease, this.onLockTimeout);
	}

	/**
	 * Returns a copy with the given wait for another instance's loader (the name used by
	 * {@code redis-patterns.cache.wait-for} and {@code @CachedWithLock(waitFor)}).
	 * @param waitFor the wait
	 * @return the new settings
	 */
	public CacheSettings withWaitFor(Duration waitFor) {
		return new CacheSettings(this.ttl, this.ttlJitter, this.staleWhileRevalidate, this.cacheNulls,
				this.earlyRefreshBeta, waitFor, this.lockLease, this.onLockTimeout);
	}

	/**
	 * Returns a copy with the given lock wait.
	 * @param lockWait the wait
	 * @return the new settings
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@link #withWaitFor(Duration)}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public CacheSettings withLockWait(Duration lockWait) {
		return withWaitFor(lockWait);
	}

	/**
	 * Returns a copy with the given lock lease.
	 * @param lockLease the lease
	 * @return the new settings
	 */
	public CacheSettings withLockLease(Duration lockLease) {
		return new CacheSettings(this.ttl, this.ttlJitter, this.staleWhileRevalidate, this.cacheNulls,
				this.earlyRefreshBeta, this.lockWait, lockLease, this.onLockTimeout);
	}

	/**
	 * Returns a copy with the given lock timeout behaviour.
	 * @param onLockTimeout what to do when the wait runs out
	 * @return the new settings
	 */
	public CacheSettings withOnLockTimeout(OnLockTimeout onLockTimeout) {
		return new CacheSettings(this.ttl, this.ttlJitter, this.staleWhileRevalidate, this.cacheNulls,
				this.earlyRefreshBeta, this.lockWait, this.lockLease, onLockTimeout);
	}

}
