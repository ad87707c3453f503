/**
 * Internal: the Redis implementation of the lock pattern (the template and its leases, wake-ups,
 * the watchdog, the {@code @DistributedLock} interceptor and the Actuator sections) that
 * {@link io.redispatterns.lock.LockTemplate#builder} and {@code LockAutoConfiguration} create. Not
 * part of the public API; use the types of {@link io.redispatterns.lock} instead.
 */
@NullMarked
package io.redispatterns.lock.internal;

import org.jspecify.annotations.NullMarked;
