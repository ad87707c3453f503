/**
 * Auto-configuration of distributed locks ({@code redis-patterns.lock.*}).
 */
@NullMarked
package io.redispatterns.lock.autoconfigure;

import org.jspecify.annotations.NullMarked;
