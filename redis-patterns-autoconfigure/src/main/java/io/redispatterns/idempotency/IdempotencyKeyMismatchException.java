package io.redispatterns.idempotency;

import org.springframework.http.HttpStatus;

/**
 * The idempotency key was already used with a different request (method, path, query or body);
 * answered {@code 422}. The client reused a key for a new operation: it needs a new key.
 */
public class IdempotencyKeyMismatchException extends IdempotencyException {

	/**
	 * Creates the exception.
	 * @param message what happened
	 */
	public IdempotencyKeyMismatchException(String message) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-mismatch", message, null);
	}

}
