package io.redispatterns.core;

import org.jspecify.annotations.Nullable;

/**
 * A command was sent to Redis but no reply came back (the command timeout passed, or the
 * connection was lost after sending). Redis may or may not have applied it. Retry only when the
 * operation is idempotent or carries an idempotency key; otherwise read the state back first.
 */
public class RedisOutcomeUnknownException extends RedisPatternsException {

	/**
	 * Creates an exception.
	 * @param message what may or may not have been done
	 * @param cause the Redis failure
	 */
	public RedisOutcomeUnknownException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
