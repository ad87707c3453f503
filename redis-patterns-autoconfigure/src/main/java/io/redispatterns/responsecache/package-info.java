/**
 * HTTP response caching with ETags: {@link io.redispatterns.responsecache.CachedResponse}
 * on Spring MVC {@code GET} handlers (or URL patterns in configuration) stores
 * whole responses in a cache of the cache pattern, answers {@code If-None-Match} with
 * {@code 304 Not Modified} without running the handler, and is invalidated by the cache's tags.
 * Misses run the handler once across instances (the cache's distributed loader). A Redis fault
 * never fails a request: the handler answers it.
 */
@NullMarked
package io.redispatterns.responsecache;

import org.jspecify.annotations.NullMarked;
