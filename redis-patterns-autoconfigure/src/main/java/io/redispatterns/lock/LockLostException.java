package io.redispatterns.lock;

import io.redispatterns.core.RedisPatternsException;

/**
 * Thrown after the work guarded by a lock has run, when the lock turned out to be lost while it
 * ran: a renewal or the release found it expired or held by another owner. The work may have
 * overlapped with another holder's; writes that carried the lease's fencing token are the ones a
 * fencing-aware store protected.
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
