package io.redispatterns.cache;

import io.redispatterns.core.RedisPatternsException;

/**
 * Thrown when a caller waited {@code wait-for} for another instance to load a value, the value
 * did not arrive and the cache is configured with {@code on-lock-timeout: fail}.
 */
public class CacheLockTimeoutException extends RedisPatternsException {

	private final String cacheName;

	/**
	 * Creates an exception.
	 * @param cacheName the cache whose loader lock stayed busy
	 * @param message the description
	 */
	public CacheLockTimeoutException(String cacheName, String message) {
		super(message);
		this.cacheName = cacheName;
	}

	/**
	 * Returns the cache whose loader lock stayed busy.
	 * @return the cache name
	 */
	public String getCacheName() {
		return this.cacheName;
	}

}
