package io.redispatterns.lock;

import java.time.Duration;

/**
 * A held distributed lock: a lease that expires unless it is extended.
 * <p>
 * Ownership is the lease's random owner token, not a thread: a lease may be released or
 * extended from any thread, a virtual thread or an async continuation. Release and extension
 * are owner-checked on the Redis server, so a holder whose lease ran out can never delete or
 * extend the lock of the next holder.
 * <p>
 * Closing the lease releases it, so it can be used in try-with-resources:
 * <pre>{@code
 * try (LockLease lease = locks.tryAcquire("report", Duration.ofSeconds(30), Duration.ZERO).orElseThrow()) {
 *     store.write(report, lease.fencingToken());
 * }
 * }</pre>
 */
public interface LockLease extends AutoCloseable {

	/**
	 * Returns the lock's name, as given when it was acquired.
	 * @return the lock name
	 */
	String name();

	/**
	 * Returns the fencing token: a number issued in the same script as the acquisition that is
	 * larger than every token issued for this lock name before. Pass it with every write to the
	 * protected resource and let the resource apply a write only when its token is <em>strictly
	 * greater</em> than the last one it accepted: a write with an equal token is the same write run
	 * again (Lettuce re-sends a command whose reply was lost), so it must not be applied twice; answer
	 * it with the outcome of the first one. A holder that writes several times under one lease
	 * compares (token, sequence number) pairs instead.
	 * @return the fencing token (positive)
	 */
	long fencingToken();

	/**
	 * Returns the random owner token stored as the lock's value. Library code uses it to act on
	 * the lock on behalf of its holder; applications do not need it. Do not log it.
	 * @return the owner token
	 */
	String ownerToken();

	/**
	 * Returns how long the lease has left, estimated locally from the time the acquisition or last
	 * extension was sent (so never longer than Redis's own TTL). Makes no call to Redis.
	 * @return the remaining time, {@link Duration#ZERO} once expired, released or lost
	 */
	Duration remaining();

	/**
	 * Renews the lease: when the lock is still held by this lease, it now expires {@code lease}
	 * from now. One owner-checked script.
	 * @param lease the new remaining lease time (positive)
	 * @return {@code true} when the lock was still ours and is extended; {@code false} when it was
	 * released, expired or taken by another holder (the lease is then invalid)
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	boolean extend(Duration lease);

	/**
	 * Releases the lock if it is still held by this lease and wakes up waiters. Idempotent: a
	 * second call returns {@code false} without touching Redis.
	 * @return {@code true} when the lock was still ours and is now released; {@code false} when it
	 * had been released already, had expired or is held by someone else (left untouched)
	 * @throws LockUnavailableException when Redis cannot be reached (the lock then expires at the
	 * end of its lease)
	 */
	boolean release();

	/**
	 * Tells whether the lease is still believed held: not released, not found lost by an extension
	 * or renewal, and not past its locally estimated expiry.
	 * @return whether the lease is valid
	 */
	boolean isValid();

	/**
	 * Releases the lease, like {@link #release()}.
	 */
	@Override
	default void close() {
		release();
	}

}
