/**
 * Distributed locks in the sample: inventory reservations under {@code executeWithLock}, written to
 * a store that rejects stale fencing tokens, and a {@code @Scheduled} audit guarded by
 * {@code @DistributedLock}.
 */
@NullMarked
package io.redispatterns.sample.lock;

import org.jspecify.annotations.NullMarked;
