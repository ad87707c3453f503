package io.redispatterns.core;

/**
 * Redis could not be asked: it was unreachable, the connection was down, a circuit breaker was
 * open, or the server refused the command before running it ({@code LOADING}, {@code READONLY},
 * {@code MASTERDOWN}, {@code CLUSTERDOWN}, {@code TRYAGAIN}, {@code BUSY}). Nothing was applied,
 * so the operation is safe to retry. Over HTTP the library answers {@code 503} with
 * {@code Retry-After}.
 */
public class RedisUnavailableException extends RedisPatternsException {

	/**
	 * Creates an exception.
	 * @param message what could not be done
	 */
	public RedisUnavailableException(String message) {
		super(message);
	}

	/**
	 * Creates an exception.
	 * @param message what could not be done
	 * @param cause the Redis failure
	 */
	public RedisUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
