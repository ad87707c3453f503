package io.redispatterns.cache.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.NearCacheSettings;
import io.redispatterns.cache.OnLockTimeout;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@link RedisPatternsCacheProperties} into validated {@link CacheSettings}, failing with
 * one message that names the offending property.
 */
final class CacheSettingsFactory {

	private static final String PREFIX = "redis-patterns.cache.";

	private CacheSettingsFactory() {
	}

	static CacheSettings defaults(RedisPatternsCacheProperties properties) {
		return build(PREFIX, properties.getTtl(), properties.getTtlJitter(),
				properties.getStaleWhileRevalidate(), properties.getCacheNulls(), properties.getEarlyRefreshBeta(),
				properties.getWaitFor(), properties.getLockLease(), properties.getOnLockTimeout());
	}

	static Map<String, CacheSettings> caches(RedisPatternsCacheProperties properties) {
		CacheSettings defaults = defaults(properties);
		Map<String, CacheSettings> caches = new LinkedHashMap<>();
		properties.getCaches().forEach((name, cache) -> {
			String prefix = PREFIX + "caches." + name + ".";
			caches.put(name, build(prefix, orElse(cache.getTtl(), defaults.ttl()),
					(cache.getTtlJitter() != null) ? cache.getTtlJitter() : properties.getTtlJitter(),
					orElse(cache.getStaleWhileRevalidate(), defaults.staleWhileRevalidate()),
					(cache.getCacheNulls() != null) ? cache.getCacheNulls() : defaults.cacheNulls(),
					(cache.getEarlyRefreshBeta() != null) ? cache.getEarlyRefreshBeta() : defaults.earlyRefreshBeta(),
					orElse(cache.getWaitFor(), defaults.lockWait()), defaults.lockLease(),
					(cache.getOnLockTimeout() != null) ? cache.getOnLockTimeout() : defaults.onLockTimeout()));
		});
		return caches;
	}

	/**
	 * The near caches: those with a positive {@code near.max-entries}; a negative size or a TTL that is
	 * not positive fails naming its property.
	 */
	static Map<String, NearCacheSettings> nearCaches(RedisPatternsCacheProperties properties) {
		Map<String, NearCacheSettings> near = new LinkedHashMap<>();
		properties.getCaches().forEach((name, cache) -> {
			String prefix = PREFIX + "caches." + name + ".near.";
			int maxEntries = cache.getNear().getMaxEntries();
			if (maxEntries < 0) {
				throw new InvalidRedisPatternsPropertyException(prefix + "max-entries", maxEntries,
						"0 (no near cache) or a positive number of entries, such as 10000");
			}
			Duration ttl = cache.getNear().getTtl();
			if (ttl.isNegative() || ttl.isZero()) {
				throw new InvalidRedisPatternsPropertyException(prefix + "ttl", ttl, "a positive duration, such as 1m");
			}
			if (maxEntries > 0) {
				near.put(name, new NearCacheSettings(maxEntries, ttl));
			}
		});
		return near;
	}

	private static CacheSettings build(String prefix, Duration ttl, String jitter, Duration swr,
			@Nullable Duration cacheNulls, double beta, Duration waitFor, Duration lockLease,
			OnLockTimeout onLockTimeout) {
		String ttlProperty = prefix + "ttl";
		if (ttl.isNegative() || ttl.isZero()) {
			throw new InvalidRedisPatternsPropertyException(ttlProperty, ttl, "a positive duration, such as 10m");
		}
		double parsedJitter = parseJitter(prefix + "ttl-jitter", jitter);
		if (swr.isNegative()) {
			throw new InvalidRedisPatternsPropertyException(prefix + "stale-while-revalidate", swr,
					"zero or a positive duration");
		}
		if (swr.compareTo(ttl) > 0) {
			throw new InvalidRedisPatternsPropertyException(prefix + "stale-while-revalidate", swr,
					"a duration not longer than the TTL (" + ttl + ")");
		}
		if (cacheNulls != null && (cacheNulls.isNegative() || cacheNulls.isZero())) {
			throw new InvalidRedisPatternsPropertyException(prefix + "cache-nulls", cacheNulls,
					"a positive duration, or unset to not cache nulls");
		}
		if (!(beta >= 0) || Double.isInfinite(beta)) {
			throw new InvalidRedisPatternsPropertyException(prefix + "early-refresh-beta", beta,
					"zero (off) or a positive number, usually 1");
		}
		if (waitFor.isNegative()) {
			throw new InvalidRedisPatternsPropertyException(prefix + "wait-for", waitFor, "zero or a positive duration");
		}
		if (lockLease.toMillis() < 3) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "lock-lease", lockLease,
					"a duration of at least 3ms");
		}
		return new CacheSettings(ttl, parsedJitter, swr, cacheNulls, beta, waitFor, lockLease, onLockTimeout);
	}

	static double parseJitter(String property, String value) {
		String number = value.trim();
		if (number.endsWith("%")) {
			number = number.substring(0, number.length() - 1).trim();
		}
		try {
			double percent = Double.parseDouble(number);
			if (percent >= 0 && percent <= 100) {
				return percent / 100;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new InvalidRedisPatternsPropertyException(property, value, "a percentage from 0% to 100%, such as 10%");
	}

	private static Duration orElse(@Nullable Duration value, Duration fallback) {
		return (value != null) ? value : fallback;
	}

}
