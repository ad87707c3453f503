package io.redispatterns.cache;

import io.redispatterns.core.RedisPatternsException;

/**
 * Wraps a checked exception thrown by a loader passed to {@link CacheTemplate}.
 */
public class CacheLoaderException extends RedisPatternsException {

	/**
	 * Creates an exception.
	 * @param message the description
	 * @param cause the loader's exception
	 */
	public CacheLoaderException(String message, Throwable cause) {
		super(message, cause);
	}

}
