package io.redispatterns.cache.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.cache.OnLockTimeout;
import io.redispatterns.core.autoconfigure.CircuitBreakerProperties;
import io.redispatterns.core.autoconfigure.DeprecatedPropertyNames;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of the cache pattern. The settings every cache inherits (TTLs, refreshes, the loader
 * lock) are declared in {@link CacheDefaultsProperties}; per-cache overrides in {@link Cache}.
 */
@ConfigurationProperties("redis-patterns.cache")
public class RedisPatternsCacheProperties extends CacheDefaultsProperties {

	/**
	 * Whether the cache pattern (annotations, template, cache manager) is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Whether annotations and the cache manager may use configured caches only (an unknown name
	 * fails start-up).
	 */
	private boolean strict;

	/**
	 * Packages whose classes may be named in JSON type ids (for types annotated with
	 * {@code @JsonTypeInfo(use = CLASS)}); empty allows no class-name polymorphism.
	 */
	private List<String> polymorphicPackages = new ArrayList<>();

	/**
	 * Whether cache meters (cache.gets, cache.puts, loads, lock waits) are recorded in Micrometer.
	 * Defaults to spring.cache.redis.enable-statistics when that is set.
	 */
	private boolean enableStatistics = true;

	/**
	 * Threads that run background (stale-while-revalidate and early) refreshes.
	 */
	private int refreshThreads = 2;

	/**
	 * Circuit breaker that skips Redis while it is known to be down.
	 */
	@NestedConfigurationProperty
	private final CircuitBreakerProperties circuitBreaker = new CircuitBreakerProperties(3, Duration.ofSeconds(1));

	/**
	 * Per-cache settings, by cache name; unset values fall back to the settings above.
	 */
	private Map<String, Cache> caches = new LinkedHashMap<>();

	public boolean isEnableStatistics() {
		return this.enableStatistics;
	}

	public void setEnableStatistics(boolean enableStatistics) {
		this.enableStatistics = enableStatistics;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isStrict() {
		return this.strict;
	}

	public void setStrict(boolean strict) {
		this.strict = strict;
	}

	public List<String> getPolymorphicPackages() {
		return this.polymorphicPackages;
	}

	public void setPolymorphicPackages(List<String> polymorphicPackages) {
		this.polymorphicPackages = polymorphicPackages;
	}

	public int getRefreshThreads() {
		return this.refreshThreads;
	}

	public void setRefreshThreads(int refreshThreads) {
		this.refreshThreads = refreshThreads;
	}

	public CircuitBreakerProperties getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public Map<String, Cache> getCaches() {
		return this.caches;
	}

	public void setCaches(Map<String, Cache> caches) {
		this.caches = caches;
	}

	/**
	 * Settings of one cache; unset values fall back to {@code redis-patterns.cache.*}.
	 */
	public static class Cache {

		/**
		 * How long entries stay fresh.
		 */
		private @Nullable Duration ttl;

		/**
		 * Percentage of the TTL by which each write's TTL is randomly shortened.
		 */
		private @Nullable String ttlJitter;

		/**
		 * How long after its TTL an entry is still served while one background refresh runs.
		 */
		private @Nullable Duration staleWhileRevalidate;

		/**
		 * TTL of cached null results.
		 */
		private @Nullable Duration cacheNulls;

		/**
		 * XFetch factor for probabilistic early refresh (0 turns it off).
		 */
		private @Nullable Double earlyRefreshBeta;

		/**
		 * How long a caller waits for another instance to load a missing value (for the key's loader lock).
		 */
		private @Nullable Duration waitFor;

		/**
		 * What a caller does when the lock wait runs out.
		 */
		private @Nullable OnLockTimeout onLockTimeout;

		/**
		 * Whether values of this cache are stored encrypted with AES-GCM, with the keys of
		 * redis-patterns.encryption. An entry that does not decrypt is a miss, evicted and counted.
		 */
		private boolean encrypted;

		/**
		 * In-memory near cache of this cache, kept coherent by Redis client tracking.
		 */
		private final Near near = new Near();

		public Near getNear() {
			return this.near;
		}

		public boolean isEncrypted() {
			return this.encrypted;
		}

		public void setEncrypted(boolean encrypted) {
			this.encrypted = encrypted;
		}

		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

		public @Nullable String getTtlJitter() {
			return this.ttlJitter;
		}

		public void setTtlJitter(@Nullable String ttlJitter) {
			this.ttlJitter = ttlJitter;
		}

		public @Nullable Duration getStaleWhileRevalidate() {
			return this.staleWhileRevalidate;
		}

		public void setStaleWhileRevalidate(@Nullable Duration staleWhileRevalidate) {
			this.staleWhileRevalidate = staleWhileRevalidate;
		}

		public @Nullable Duration getCacheNulls() {
			return this.cacheNulls;
		}

		public void setCacheNulls(@Nullable Duration cacheNulls) {
			this.cacheNulls = cacheNulls;
		}

		public @Nullable Double getEarlyRefreshBeta() {
			return this.earlyRefreshBeta;
		}

		public void setEarlyRefreshBeta(@Nullable Double earlyRefreshBeta) {
			this.earlyRefreshBeta = earlyRefreshBeta;
		}

		public @Nullable Duration getWaitFor() {
			return this.waitFor;
		}

		public void setWaitFor(@Nullable Duration waitFor) {
			this.waitFor = waitFor;
		}

		/**
		 * How long a caller waits for another instance to load a missing value.
		 * @return the value
		 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code wait-for}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		public @Nullable Duration getLockWait() {
			return this.waitFor;
		}

		/**
		 * Sets the value of {@code lock-wait}.
		 * @param lockWait the value
		 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code wait-for}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setLockWait(@Nullable Duration lockWait) {
			DeprecatedPropertyNames.warn("redis-patterns.cache.caches.<name>.lock-wait",
					"redis-patterns.cache.caches.<name>.wait-for");
			this.waitFor = lockWait;
		}

		public @Nullable OnLockTimeout getOnLockTimeout() {
			return this.onLockTimeout;
		}

		public void setOnLockTimeout(@Nullable OnLockTimeout onLockTimeout) {
			this.onLockTimeout = onLockTimeout;
		}

	}

	/**
	 * The in-memory near cache of one cache: hits served from memory without a Redis command, copies
	 * dropped when Redis reports a change of their key (server-assisted client tracking on a dedicated
	 * RESP3 connection) and all dropped while that connection is lost.
	 */
	public static class Near {

		/**
		 * Number of entries kept in memory at most; 0 (the default) turns the near cache off.
		 */
		private int maxEntries;

		/**
		 * How long an entry is served from memory at most, even when no change of it was reported.
		 */
		private Duration ttl = Duration.ofMinutes(1);

		public int getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(int maxEntries) {
			this.maxEntries = maxEntries;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

}
