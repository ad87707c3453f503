/**
 * Auto-configuration of the cache pattern ({@code redis-patterns.cache.*}).
 */
@NullMarked
package io.redispatterns.cache.autoconfigure;

import org.jspecify.annotations.NullMarked;
