/**
 * Auto-configuration of the core building blocks ({@code redis-patterns.*}).
 */
@NullMarked
package io.redispatterns.core.autoconfigure;

import org.jspecify.annotations.NullMarked;
