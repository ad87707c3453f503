package io.redispatterns.lock;

import org.jspecify.annotations.Nullable;

/**
 * Work done while holding a distributed lock, see
 * {@link LockTemplate#executeWithLock(String, LockOptions, LockCallback)}.
 * @param <T> the result type
 */
@FunctionalInterface
public interface LockCallback<T extends @Nullable Object> {

	/**
	 * Runs with the lock held.
	 * @param lease the lease; pass its {@link LockLease#fencingToken() fencing token} with writes
	 * to the protected resource
	 * @return the result handed back by {@code executeWithLock}
	 */
	T doWithLock(LockLease lease);

}
