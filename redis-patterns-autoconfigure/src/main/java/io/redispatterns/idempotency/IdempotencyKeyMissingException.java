package io.redispatterns.idempotency;

import org.springframework.http.HttpStatus;

/**
 * A request to an {@link Idempotent @Idempotent} handler that requires a key came without one, or
 * with one that is not usable (blank, longer than 255 characters, not visible ASCII); answered
 * {@code 400}.
 */
public class IdempotencyKeyMissingException extends IdempotencyException {

	/**
	 * Creates the exception.
	 * @param message what is wrong with the header
	 */
	public IdempotencyKeyMissingException(String message) {
		super(HttpStatus.BAD_REQUEST, "idempotency-key-missing", message, null);
	}

}
