/**
 * Internal: the Redis implementation of the cache pattern (the template, the Spring
 * {@code CacheManager}, the annotation interceptors, loaders, codecs and metrics) that
 * {@code RedisPatternsCacheAutoConfiguration} creates. Not part of the public API; use the types
 * of {@link io.redispatterns.cache} instead.
 */
@NullMarked
package io.redispatterns.cache.internal;

import org.jspecify.annotations.NullMarked;
