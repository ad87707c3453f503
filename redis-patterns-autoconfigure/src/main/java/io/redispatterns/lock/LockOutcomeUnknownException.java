package io.redispatterns.lock;

import io.redispatterns.core.RedisOutcomeUnknownException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a lock command was sent to Redis but no reply came back (the command timeout passed,
 * or the connection was reset while the command was in flight), so Redis may or may not have run
 * it.
 * <p>
 * After an acquisition with an unknown outcome the template makes one cleanup attempt: it releases
 * the lock by the acquisition's owner token (a no-op when the acquisition did not happen).
 * {@link #isCleanedUp()} tells whether that attempt was confirmed; when it was, the lock is not
 * held by this caller and acquiring again is safe. Otherwise a lock taken by the lost acquisition
 * stays until its lease ends. (A reply lost on an orderly close is not an unknown outcome: Lettuce
 * re-sends the command and the acquisition recognises its own owner token.)
 */
public class LockOutcomeUnknownException extends RedisOutcomeUnknownException {

	private final String lockName;

	private final boolean cleanedUp;

	/**
	 * Creates an exception.
	 * @param lockName the lock's name
	 * @param message what may or may not have been done
	 * @param cause the Redis failure
	 * @param cleanedUp whether a cleanup confirmed that this caller does not hold the lock
	 */
	public LockOutcomeUnknownException(String lockName, String message, @Nullable Throwable cause, boolean cleanedUp) {
		super(message, cause);
		this.lockName = lockName;
		this.cleanedUp = cleanedUp;
	}

	/**
	 * Returns the name of the lock.
	 * @return the lock name
	 */
	public String getLockName() {
		return this.lockName;
	}

	/**
	 * Returns whether a cleanup after the failure confirmed that the caller does not hold the lock
	 * (always {@code false} for an extension or a release, which are not cleaned up).
	 * @return {@code true} when acquiring again is safe
	 */
	public boolean isCleanedUp() {
		return this.cleanedUp;
	}

}
