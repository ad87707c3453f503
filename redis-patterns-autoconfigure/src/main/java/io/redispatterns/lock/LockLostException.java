package io.redispatterns.lock;

import io.redispatterns.core.RedisPatternsException;

/**
 * Describes a lock that turned out to be lost while the work guarded by it ran: a renewal or the
 * release found it expired or held by another owner. It is attached as a suppressed exception to
 * the exception of a callback that failed; a callback that succeeded has its result returned and
 * the loss reported as a {@link LockLostEvent} instead. The work may have overlapped with another
 * holder's; writes that carried the lease's fencing token are the ones a fencing-aware store
 * protected.
 */
public class LockLostException extends RedisPatternsException {

	private final String lockName;

	/**
	 * Creates an exception.
	 * @param lockName the lock's name
	 * @param message what was found
	 */
	public LockLostException(String lockName, String message) {
		super(message);
		this.lockName = lockName;
	}

	/**
	 * Returns the name of the lost lock.
	 * @return the lock name
	 */
	public String getLockName() {
		return this.lockName;
	}

}
