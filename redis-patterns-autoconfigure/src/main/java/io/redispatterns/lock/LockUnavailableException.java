package io.redispatterns.lock;

import io.redispatterns.core.RedisUnavailableException;

/**
 * Thrown when Redis cannot be reached (or refuses the command with an error) while acquiring,
 * extending or releasing a lock: nothing was done, so the call is safe to retry. Locks fail
 * closed: the lock is never assumed held when Redis did not confirm it. The call returns within
 * the connection's command timeout ({@code spring.data.redis.timeout}). When the command was sent
 * but no reply came back, {@link LockOutcomeUnknownException} is thrown instead.
 */
public class LockUnavailableException extends RedisUnavailableException {

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
