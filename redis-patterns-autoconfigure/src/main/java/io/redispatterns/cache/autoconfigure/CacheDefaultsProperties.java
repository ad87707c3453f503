package io.redispatterns.cache.autoconfigure;

import java.time.Duration;

import io.redispatterns.cache.OnLockTimeout;
import io.redispatterns.core.autoconfigure.DeprecatedPropertyNames;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * The settings every cache has unless {@code redis-patterns.cache.caches.<name>} overrides them: TTLs,
 * refreshes and the loader lock. They are bound directly under {@code redis-patterns.cache} through
 * {@link RedisPatternsCacheProperties}, which extends this class so that the keys stay where they are.
 */
public abstract class CacheDefaultsProperties {

	/**
	 * How long entries of caches without their own TTL stay fresh.
	 */
	private Duration ttl = Duration.ofHours(1);

	/**
	 * Percentage of the TTL, such as 10%, by which each write's TTL is randomly shortened so that
	 * entries written together do not expire together.
	 */
	private String ttlJitter = "10%";

	/**
	 * How long after its TTL an entry is still served while one background refresh runs (0 to
	 * serve nothing stale).
	 */
	private Duration staleWhileRevalidate = Duration.ZERO;

	/**
	 * TTL of cached null results; unset to not cache nulls.
	 */
	private @Nullable Duration cacheNulls;

	/**
	 * XFetch factor for probabilistic early refresh of fresh entries (0 turns it off, 1 is usual).
	 */
	private double earlyRefreshBeta;

	/**
	 * How long a caller waits for another instance to load a missing value (for the key's loader lock).
	 */
	private Duration waitFor = Duration.ofSeconds(10);

	/**
	 * Lease of the per-key loader lock, renewed every third of its length while the loader runs.
	 * Kept short so that a lock whose release never arrived (an instance that died mid-load, or a
	 * failover to a replica that missed the release) blocks the key's callers for at most this long.
	 */
	private Duration lockLease = Duration.ofSeconds(3);

	/**
	 * What a caller does when the lock wait runs out: serve-stale, call-loader or fail.
	 */
	private OnLockTimeout onLockTimeout = OnLockTimeout.SERVE_STALE;

	/**
	 * Creates the defaults with the library's values.
	 */
	protected CacheDefaultsProperties() {
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	/**
	 * How long entries of caches without their own TTL stay fresh.
	 * @return the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code ttl}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.cache.ttl", since = "0.1.0")
	public Duration getDefaultTtl() {
		return this.ttl;
	}

	/**
	 * Sets the value of {@code default-ttl}.
	 * @param defaultTtl the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code ttl}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setDefaultTtl(Duration defaultTtl) {
		DeprecatedPropertyNames.warn("redis-patterns.cache.default-ttl", "redis-patterns.cache.ttl");
		this.ttl = defaultTtl;
	}

	public String getTtlJitter() {
		return this.ttlJitter;
	}

	public void setTtlJitter(String ttlJitter) {
		this.ttlJitter = ttlJitter;
	}

	public Duration getStaleWhileRevalidate() {
		return this.staleWhileRevalidate;
	}

	public void setStaleWhileRevalidate(Duration staleWhileRevalidate) {
		this.staleWhileRevalidate = staleWhileRevalidate;
	}

	public @Nullable Duration getCacheNulls() {
		return this.cacheNulls;
	}

	public void setCacheNulls(@Nullable Duration cacheNulls) {
		this.cacheNulls = cacheNulls;
	}

	public double getEarlyRefreshBeta() {
		return this.earlyRefreshBeta;
	}

	public void setEarlyRefreshBeta(double earlyRefreshBeta) {
		this.earlyRefreshBeta = earlyRefreshBeta;
	}

	public Duration getWaitFor() {
		return this.waitFor;
	}

	public void setWaitFor(Duration waitFor) {
		this.waitFor = waitFor;
	}

	/**
	 * How long a caller waits for another instance to load a missing value.
	 * @return the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code wait-for}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.cache.wait-for", since = "0.1.0")
	public Duration getLockWait() {
		return this.waitFor;
	}

	/**
	 * Sets the value of {@code lock-wait}.
	 * @param lockWait the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code wait-for}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setLockWait(Duration lockWait) {
		DeprecatedPropertyNames.warn("redis-patterns.cache.lock-wait", "redis-patterns.cache.wait-for");
		this.waitFor = lockWait;
	}

	public Duration getLockLease() {
		return this.lockLease;
	}

	public void setLockLease(Duration lockLease) {
		this.lockLease = lockLease;
	}

	public OnLockTimeout getOnLockTimeout() {
		return this.onLockTimeout;
	}

	public void setOnLockTimeout(OnLockTimeout onLockTimeout) {
		this.onLockTimeout = onLockTimeout;
	}

}
