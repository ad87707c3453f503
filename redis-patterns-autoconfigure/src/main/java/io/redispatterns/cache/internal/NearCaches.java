package io.redispatterns.cache.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.redispatterns.cache.CacheMetrics;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.NearCacheSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The near caches of a template, one per cache that has one, and the tracking that keeps them
 * coherent: Redis's invalidations are routed to the cache whose namespace holds the key; losing the
 * tracking drops every copy and stops serving and storing them until it is on again.
 */
final class NearCaches implements NearCacheTracking.Events {

	static final NearCaches NONE = new NearCaches();

	/** By cache namespace ({@code <prefix>:cache:<cache>:}), the tracked prefix. */
	private final Map<String, NearCache> byNamespace = new LinkedHashMap<>();

	private final Map<String, NearCache> byCache = new LinkedHashMap<>();

	private final AtomicLong epoch = new AtomicLong();

	private volatile boolean trusted;

	private final @Nullable NearCacheTracking tracking;

	private NearCaches() {
		this.tracking = null;
	}

	NearCaches(RedisConnectionFactory connectionFactory, CacheKeyspace keyspace, Map<String, NearCacheSettings> settings,
			Map<String, CacheSettings> cacheSettings, CacheSettings defaults, CacheMetrics metrics) {
		settings.forEach((cache, near) -> {
			CacheSettings stored = cacheSettings.getOrDefault(cache, defaults);
			NearCache nearCache = new NearCache(cache, near, stored.staleWhileRevalidate().toMillis(), metrics,
					() -> this.trusted, this.epoch::get);
			this.byCache.put(cache, nearCache);
			this.byNamespace.put(keyspace.cacheNamespace(cache), nearCache);
			metrics.registerNear(cache);
		});
		this.tracking = new NearCacheTracking(connectionFactory, new ArrayList<>(this.byNamespace.keySet()), this);
		this.tracking.start();
	}

	/** The near cache of a cache, or {@code null} when it has none. */
	@Nullable NearCache of(String cache) {
		return this.byCache.isEmpty() ? null : this.byCache.get(cache);
	}

	boolean isEmpty() {
		return this.byCache.isEmpty();
	}

	/** Whether copies are served: the tracking is on. */
	boolean isTrusted() {
		return this.trusted;
	}

	@Nullable NearCacheTracking tracking() {
		return this.tracking;
	}

	@Override
	public void invalidated(@Nullable List<String> keys) {
		if (keys == null) {
			this.byCache.values().forEach(NearCache::clear);
			return;
		}
		for (String key : keys) {
			NearCache near = owner(key);
			if (near != null) {
				near.invalidate(key);
			}
		}
	}

	@Override
	public void lost(String reason) {
		this.trusted = false;
		this.epoch.incrementAndGet();
		this.byCache.values().forEach(NearCache::clear);
	}

	@Override
	public void established() {
		this.byCache.values().forEach(NearCache::clear);
		this.epoch.incrementAndGet();
		this.trusted = true;
	}

	void close() {
		NearCacheTracking current = this.tracking;
		if (current != null) {
			current.close();
		}
	}

	private @Nullable NearCache owner(String key) {
		for (Map.Entry<String, NearCache> namespace : this.byNamespace.entrySet()) {
			if (key.startsWith(namespace.getKey())) {
				return namespace.getValue();
			}
		}
		return null;
	}

}
