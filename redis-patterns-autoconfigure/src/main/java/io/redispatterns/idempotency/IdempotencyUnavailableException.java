package io.redispatterns.idempotency;

import org.springframework.http.HttpStatus;

/**
 * Redis could not claim the idempotency key and the configured failure mode is
 * {@code fail-closed}: the handler did not run; answered {@code 503} with {@code Retry-After}.
 * Retrying with the same key is safe.
 */
public class IdempotencyUnavailableException extends IdempotencyException {

	private final long retryAfterSeconds;

	/**
	 * Creates the exception.
	 * @param message what happened
	 * @param retryAfterSeconds when to retry
	 * @param cause the Redis failure
	 */
	public IdempotencyUnavailableException(String message, long retryAfterSeconds, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "idempotency-unavailable", message, cause);
		this.retryAfterSeconds = retryAfterSeconds;
	}

	@Override
	public Long getRetryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
