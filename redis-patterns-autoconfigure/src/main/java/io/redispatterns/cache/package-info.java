/**
 * Caching on Redis: {@link io.redispatterns.cache.CachedWithLock @CachedWithLock} and
 * {@link io.redispatterns.cache.CacheInvalidate @CacheInvalidate}, the programmatic
 * {@link io.redispatterns.cache.CacheTemplate}, and a Spring
 * {@link org.springframework.cache.CacheManager} whose {@code get(key, Callable)} is stampede-safe
 * across application instances. Entries carry a soft expiry for stale-while-revalidate, tags are
 * tag sets, and every Redis failure degrades to calling the loader.
 */
@NullMarked
package io.redispatterns.cache;

import org.jspecify.annotations.NullMarked;
