/**
 * Internal: the servlet filter that answers cacheable requests from the cache and stores the
 * handlers' responses, with the request matching, keys, entity tags and response capture it runs
 * on, created by {@code ResponseCacheAutoConfiguration}. Not part of the public API; use the types
 * of {@link io.redispatterns.responsecache} instead (its filter order is
 * {@code ResponseCacheProperties.DEFAULT_FILTER_ORDER}).
 */
@NullMarked
package io.redispatterns.responsecache.internal;

import org.jspecify.annotations.NullMarked;
