package io.redispatterns.test;

/**
 * Thrown when a {@code redis-server} process (or a deployment made of several) cannot be started
 * or does not reach the expected state in time. The message carries the tail of the server's log.
 */
public class RedisStartException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception with the given message.
	 * @param message what failed, including the server log tail where there is one
	 */
	public RedisStartException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with the given message and cause.
	 * @param message what failed
	 * @param cause the underlying failure
	 */
	public RedisStartException(String message, Throwable cause) {
		super(message, cause);
	}

}
