package io.redispatterns.cache.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.redispatterns.cache.CacheSettings;

/**
 * What the {@code redispatterns} Actuator endpoint shows of the caches: every cache's settings, its
 * counts and hit ratio, and the circuit breaker's state.
 */
final class CacheDescription {

	private CacheDescription() {
	}

	static Map<String, Object> of(CacheRuntime runtime) {
		Map<String, Object> caches = new LinkedHashMap<>();
		for (String name : runtime.cacheNames()) {
			CacheSettings settings = runtime.settings(name);
			CacheStatistics stats = runtime.statistics(name);
			Map<String, Object> cache = new LinkedHashMap<>();
			cache.put("configured", runtime.isConfigured(name));
			cache.put("ttl", settings.ttl().toString());
			cache.put("ttlJitter", settings.ttlJitter());
			cache.put("staleWhileRevalidate", settings.staleWhileRevalidate().toString());
			cache.put("cacheNulls", (settings.cacheNulls() != null) ? settings.cacheNulls().toString() : "off");
			cache.put("earlyRefreshBeta", settings.earlyRefreshBeta());
			cache.put("lockWait", settings.lockWait().toString());
			cache.put("onLockTimeout", settings.onLockTimeout().name().toLowerCase(Locale.ROOT).replace('_', '-'));
			cache.put("hits", stats.hits.sum());
			cache.put("stale", stats.stale.sum());
			cache.put("misses", stats.misses.sum());
			cache.put("errors", stats.errors.sum());
			cache.put("loads", stats.loads.sum());
			cache.put("corrupt", stats.corrupt.sum());
			cache.put("hitRatio", stats.hitRatio());
			NearCache near = runtime.nearCaches().of(name);
			if (near != null) {
				cache.put("near", Map.of("maxEntries", near.maxEntries(), "ttl", near.ttl().toString(), "size",
						near.size(), "tracking", runtime.nearCaches().isTrusted() ? "ON" : "LOST"));
			}
			caches.put(name, cache);
		}
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("circuitBreaker", runtime.breaker().state().name());
		description.put("caches", caches);
		return description;
	}

}
