package io.redispatterns.idempotency;

import org.springframework.http.HttpStatus;

/**
 * Another request with the same idempotency key is still running and did not finish within the
 * configured wait; answered {@code 409} with {@code Retry-After}.
 */
public class IdempotencyKeyInUseException extends IdempotencyException {

	private final long retryAfterSeconds;

	/**
	 * Creates the exception.
	 * @param message what happened
	 * @param retryAfterSeconds when a retry may find the first request's response
	 */
	public IdempotencyKeyInUseException(String message, long retryAfterSeconds) {
		super(HttpStatus.CONFLICT, "idempotency-key-in-use", message, null);
		this.retryAfterSeconds = retryAfterSeconds;
	}

	@Override
	public Long getRetryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
