package io.redispatterns.cache;

/**
 * What a caller does when another instance holds a key's loader lock and the value has not
 * arrived within the lock wait.
 */
public enum OnLockTimeout {

	/** Return the stale value when one was read, else run the loader (its result is not stored). */
	SERVE_STALE,

	/** Run the loader without the lock; its result is returned but not stored. */
	CALL_LOADER,

	/** Throw {@link CacheLockTimeoutException}. */
	FAIL

}
