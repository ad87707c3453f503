/**
 * Internal: the Redis implementation of write-behind buffers (scripts, keys, flushers) that
 * {@code WriteBehindAutoConfiguration} creates. Not part of the public API; use the types of
 * {@link io.redispatterns.writebehind} instead.
 */
@NullMarked
package io.redispatterns.writebehind.internal;

import org.jspecify.annotations.NullMarked;
