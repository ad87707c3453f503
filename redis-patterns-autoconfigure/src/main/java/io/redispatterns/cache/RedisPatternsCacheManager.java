package io.redispatterns.cache;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches live in Redis and whose
 * {@code Cache#get(key, Callable)} elects one loader across all application instances, so
 * {@code @Cacheable(sync = true)} is stampede-safe; {@code @Cacheable}, {@code @CachePut} and
 * {@code @CacheEvict} work as usual. Caches are configured under
 * {@code redis-patterns.cache.caches}; with {@code strict}, only those exist.
 */
public final class RedisPatternsCacheManager implements CacheManager {

	private final RedisCacheTemplate template;

	private final boolean strict;

	private final Map<String, RedisPatternsCache> caches = new ConcurrentHashMap<>();

	/**
	 * Creates a manager.
	 * @param template the cache template
	 * @param strict whether only configured caches exist ({@link #getCache} returns {@code null} for others)
	 */
	public RedisPatternsCacheManager(RedisCacheTemplate template, boolean strict) {
		this.template = template;
		this.strict = strict;
	}

	@Override
	public @Nullable Cache getCache(String name) {
		if (this.strict && !this.template.isConfigured(name)) {
			return null;
		}
		return this.caches.computeIfAbsent(name, (cacheName) -> new RedisPatternsCache(cacheName, this.template, Object.class));
	}

	@Override
	public Collection<String> getCacheNames() {
		return this.template.cacheNames();
	}

	/**
	 * Returns the template the caches use.
	 * @return the template
	 */
	public CacheTemplate getTemplate() {
		return this.template;
	}

}
