package io.redispatterns.core;

import org.jspecify.annotations.Nullable;

/**
 * Base class of the exceptions redis-patterns throws.
 */
public class RedisPatternsException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what went wrong
	 */
	public RedisPatternsException(String message) {
		super(message);
	}

	/**
	 * Creates an exception.
	 * @param message what went wrong
	 * @param cause the underlying failure, if any
	 */
	public RedisPatternsException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
