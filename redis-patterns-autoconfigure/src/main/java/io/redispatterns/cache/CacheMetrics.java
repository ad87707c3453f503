package io.redispatterns.cache;

import java.time.Duration;


/**
 * Receives what the caches do; the library's Micrometer implementation turns it into meters.
 * Every argument is low-cardinality: cache names and fixed outcome words, never keys.
 */
public interface CacheMetrics {

	/** Metrics that record nothing, used when Micrometer is absent. */
	CacheMetrics NONE = new CacheMetrics() {
	};

	/**
	 * Called for every cache known at start-up (configured, or named by an annotation) and for a cache
	 * created later, so that its meters exist at zero before the first event.
	 * @param cache the cache name
	 */
	default void register(String cache) {
	}

	/**
	 * Counts a read.
	 * @param cache the cache name
	 * @param result {@code hit}, {@code miss}, {@code stale} or {@code error}
	 */
	default void get(String cache, String result) {
	}

	/**
	 * Counts a stored entry.
	 * @param cache the cache name
	 */
	default void put(String cache) {
	}

	/**
	 * Counts evicted keys.
	 * @param cache the cache name
	 * @param count how many
	 */
	default void evictions(String cache, long count) {
	}

	/**
	 * Records one loader run.
	 * @param cache the cache name
	 * @param outcome {@code success}, {@code failure}, {@code refreshed} or {@code refresh-failure}
	 * @param duration how long it ran
	 */
	default void load(String cache, String outcome, Duration duration) {
	}

	/**
	 * Records one wait for another instance's loader.
	 * @param cache the cache name
	 * @param duration how long the caller waited
	 */
	default void lockWait(String cache, Duration duration) {
	}

	/**
	 * Counts an entry that no longer decodes and was evicted.
	 * @param cache the cache name
	 */
	default void corrupt(String cache) {
	}

	/**
	 * Called at start-up for every cache with a near cache, so that its near meters exist at zero.
	 * @param cache the cache name
	 */
	default void registerNear(String cache) {
	}

	/**
	 * Counts a read of a near cache.
	 * @param cache the cache name
	 * @param hit whether the copy was served from memory
	 */
	default void nearGet(String cache, boolean hit) {
	}

	/**
	 * Counts copies a near cache dropped to stay within its size.
	 * @param cache the cache name
	 * @param count how many
	 */
	default void nearEvictions(String cache, long count) {
	}

	/**
	 * Counts copies a near cache dropped because their entries changed (an invalidation from Redis, a
	 * write of this instance, or all of them when the tracking connection was lost).
	 * @param cache the cache name
	 * @param count how many
	 */
	default void nearInvalidations(String cache, long count) {
	}

	/**
	 * Counts a failed Redis operation that was degraded (the caller did not see it).
	 * @param cache the cache name
	 * @param operation {@code read}, {@code write}, {@code lock} or {@code evict}
	 */
	default void redisError(String cache, String operation) {
	}

}
