/**
 * Auto-configuration of redis-patterns streams.
 */
@NullMarked
package io.redispatterns.stream.autoconfigure;

import org.jspecify.annotations.NullMarked;
