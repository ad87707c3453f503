/**
 * Auto-configuration of write-behind buffers ({@code redis-patterns.write-behind.*}).
 */
@NullMarked
package io.redispatterns.writebehind.autoconfigure;

import org.jspecify.annotations.NullMarked;
