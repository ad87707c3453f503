package io.redispatterns.lock;

import java.time.Duration;

import io.redispatterns.core.RedisPatternsException;

/**
 * Thrown when a lock stays held by another owner for longer than the caller was willing to wait.
 */
public class LockNotAcquiredException extends RedisPatternsException {

	private final String lockName;

	private final Duration wait;

	/**
	 * Creates an exception.
	 * @param lockName the lock's name
	 * @param wait how long the caller waited
	 */
	public LockNotAcquiredException(String lockName, Duration wait) {
		this(lockName, wait, "Lock '" + lockName + "' is held by another owner; not acquired within "
				+ format(wait));
	}

	/**
	 * Creates an exception with a message.
	 * @param lockName the lock's name
	 * @param wait how long the caller waited
	 * @param message what happened
	 */
	public LockNotAcquiredException(String lockName, Duration wait, String message) {
		super(message);
		this.lockName = lockName;
		this.wait = wait;
	}

	private static String format(Duration wait) {
		if (wait.equals(LockOptions.WAIT_FOREVER)) {
			return "no limit";
		}
		return (wait.toMillis() % 1000 == 0) ? wait.toSeconds() + "s" : wait.toMillis() + "ms";
	}

	/**
	 * Returns the name of the lock that was busy.
	 * @return the lock name
	 */
	public String getLockName() {
		return this.lockName;
	}

	/**
	 * Returns how long the caller waited.
	 * @return the wait
	 */
	public Duration getWait() {
		return this.wait;
	}

}
