package io.redispatterns.lock;

import io.redispatterns.core.RedisPatternsException;

/**
 * Thrown when Redis cannot be reached (or answers with an error) while acquiring, extending or
 * releasing a lock. Locks fail closed: the lock is never assumed held when Redis did not confirm
 * it. The call returns within the connection's command timeout ({@code spring.data.redis.timeout}).
 */
public class LockUnavailableException extends RedisPatternsException {

	private final String lockName;

	/**
	 * Creates an exception.
	 * @param lockName the lock's name
	 * @param message what could not be done
	 * @param cause the Redis failure
	 */
	public LockUnavailableException(String lockName, String message, Throwable cause) {
		super(message, cause);
		this.lockName = lockName;
	}

	/**
	 * Creates an exception without an underlying failure.
	 * @param lockName the lock's name
	 * @param message what could not be done
	 */
	public LockUnavailableException(String lockName, String message) {
		super(message);
		this.lockName = lockName;
	}

	/**
	 * Returns the name of the lock.
	 * @return the lock name
	 */
	public String getLockName() {
		return this.lockName;
	}

}
