/**
 * Auto-configuration of rate limiting ({@code redis-patterns.rate-limit.*}).
 */
@NullMarked
package io.redispatterns.ratelimit.autoconfigure;

import org.jspecify.annotations.NullMarked;
