package io.redispatterns.core;

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
	 * @param cause the underlying failure
	 */
	public RedisPatternsException(String message, Throwable cause) {
		super(message, cause);
	}

}
