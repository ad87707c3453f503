/**
 * Internal: the Redis implementation of the job queue (scripts, keys, worker containers) that
 * {@code JobQueueAutoConfiguration} creates. Not part of the public API; use the interfaces of
 * {@link io.redispatterns.queue} instead.
 */
@NullMarked
package io.redispatterns.queue.internal;

import org.jspecify.annotations.NullMarked;
