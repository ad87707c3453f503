package io.redispatterns.crypto;

/**
 * A stored value could not be decrypted: it is not an envelope, names a key that is not configured,
 * or fails authentication (tampered with, or moved from another cache or attribute). Extends
 * {@link IllegalArgumentException} so that code treating unreadable stored values as absent handles
 * it like any other undecodable value.
 */
public class UndecryptableValueException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what was wrong, never key material or plaintext
	 * @param cause the cipher's failure, or {@code null}
	 */
	public UndecryptableValueException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Creates the exception.
	 * @param message what was wrong, never key material or plaintext
	 */
	public UndecryptableValueException(String message) {
		super(message);
	}

}
