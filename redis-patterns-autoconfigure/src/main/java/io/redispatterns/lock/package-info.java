/**
 * Distributed locks on Redis: {@link io.redispatterns.lock.LockTemplate} (leases with fencing
 * tokens, owner-checked release and extension, watchdog renewal, pub/sub wake-up of waiters), a
 * {@link java.util.concurrent.locks.Lock} view, and the {@link io.redispatterns.lock.DistributedLock}
 * annotation.
 * <p>
 * A Redis lock is a lease, not a guarantee: a single Redis (or a replicated one that fails over)
 * can lose it. Protect the resource itself with the {@link io.redispatterns.lock.LockLease#fencingToken()
 * fencing token}: a store that applies a write only when its token is strictly greater than the last
 * one it accepted cannot be corrupted by a stale holder, nor apply a re-sent write twice.
 */
@NullMarked
package io.redispatterns.lock;

import org.jspecify.annotations.NullMarked;
