package io.redispatterns.console;

/**
 * A console request that cannot be served as asked: an unknown item, a missing or invalid
 * parameter, an action on many items without confirmation. Shown to the operator with its status.
 */
public class ConsoleRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	/**
	 * Creates the exception.
	 * @param status the HTTP status, such as 400 or 404
	 * @param message what the operator is told (plain text)
	 */
	public ConsoleRequestException(int status, String message) {
		super(message);
		this.status = status;
	}

	/**
	 * Returns the HTTP status of the reply.
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

}
