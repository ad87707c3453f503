package io.redispatterns.cache.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.cache.CacheTemplate;
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

	private final Set<String> initialCacheNames;

	private final Map<String, RedisPatternsCache> caches = new ConcurrentHashMap<>();

	/**
	 * Creates a manager.
	 * @param template the cache template
	 * @param strict whether only configured caches exist ({@link #getCache} returns {@code null} for others)
	 */
	public RedisPatternsCacheManager(RedisCacheTemplate template, boolean strict) {
		this(template, strict, List.of());
	}

	/**
	 * Creates a manager with initial caches, such as Spring Boot's {@code spring.cache.cache-names}.
	 * @param template the cache template
	 * @param strict whether only configured caches and the initial ones exist
	 * @param initialCacheNames caches that exist from the start
	 */
	public RedisPatternsCacheManager(RedisCacheTemplate template, boolean strict, Collection<String> initialCacheNames) {
		this.template = template;
		this.strict = strict;
		this.initialCacheNames = Set.copyOf(initialCacheNames);
		this.initialCacheNames.forEach(template.runtime().metrics()::register);
	}

	@Override
	public @Nullable Cache getCache(String name) {
		if (this.strict && !this.template.isConfigured(name) && !this.initialCacheNames.contains(name)) {
			return null;
		}
		return this.caches.computeIfAbsent(name, (cacheName) -> {
			this.template.runtime().metrics().register(cacheName);
			return new RedisPatternsCache(cacheName, this.template, Object.class);
		});
	}

	@Override
	public Collection<String> getCacheNames() {
		Set<String> names = new TreeSet<>(this.template.cacheNames());
		names.addAll(this.initialCacheNames);
		return Collections.unmodifiableSet(names);
	}

	/**
	 * Returns the template the caches use.
	 * @return the template
	 */
	public CacheTemplate getTemplate() {
		return this.template;
	}

}
