package io.redispatterns.idempotency;

/**
 * What claiming an idempotency key found.
 */
public sealed interface ClaimResult {

	/** The key was free (or already held by this same request): run the handler. */
	record Claimed() implements ClaimResult {
	}

	/**
	 * Another request with this key is still running.
	 * @param leaseMillis how long its in-progress marker still lasts, ms
	 */
	record InProgress(long leaseMillis) implements ClaimResult {
	}

	/**
	 * The key's request completed; its response is to be replayed.
	 * @param response the stored response
	 */
	record Completed(StoredResponse response) implements ClaimResult {
	}

	/** The key was used with a different request (method, path, query or body). */
	record Mismatch() implements ClaimResult {
	}

}
