package io.redispatterns.cache;

import java.time.Duration;

/**
 * The in-memory near cache of one cache: how many entries it holds and how long one is kept at most.
 * Entries are dropped earlier when Redis reports a change of their key (server-assisted client
 * tracking), when this instance writes them, when their Redis entry would expire, and all at once
 * whenever the tracking connection is lost.
 *
 * @param maxEntries the number of entries held at most (positive)
 * @param ttl how long an entry is served from memory at most (positive)
 */
public record NearCacheSettings(int maxEntries, Duration ttl) {

	/**
	 * Validates the values.
	 * @param maxEntries positive
	 * @param ttl positive
	 */
	public NearCacheSettings {
		if (maxEntries < 1) {
			throw new IllegalArgumentException("Near cache max entries must be positive, was " + maxEntries);
		}
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("Near cache TTL must be positive, was " + ttl);
		}
	}

}
