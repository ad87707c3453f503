/**
 * Auto-configuration of the operator console ({@code redis-patterns.console.*}).
 */
@NullMarked
package io.redispatterns.console.autoconfigure;

import org.jspecify.annotations.NullMarked;
