/**
 * Internal: the Redis implementation of the rate limiter (scripts, key sources, the
 * {@code @RateLimited} interceptors, the HTTP problem rendering and metrics) that
 * {@code RateLimitAutoConfiguration} creates. Not part of the public API; use the types of
 * {@link io.redispatterns.ratelimit} instead.
 */
@NullMarked
package io.redispatterns.ratelimit.internal;

import org.jspecify.annotations.NullMarked;
