/**
 * Rate limiting: {@link io.redispatterns.ratelimit.RateLimited @RateLimited} on Spring MVC
 * handlers and bean methods, the programmatic {@link io.redispatterns.ratelimit.RateLimiter},
 * five algorithms each decided by one Lua script in one round trip on the Redis server's clock,
 * and standard {@code 429} responses.
 */
@NullMarked
package io.redispatterns.ratelimit;

import org.jspecify.annotations.NullMarked;
