package io.redispatterns.core;

/**
 * Thrown when a value cannot be written as JSON, or stored bytes do not decode as the
 * expected type (a class changed shape, or the bytes are corrupt). Callers that read from
 * Redis treat it as "entry unusable": count it, log it, and skip or dead-letter the entry.
 */
public class JsonCodecException extends RedisPatternsException {

	/**
	 * Creates an exception.
	 * @param message what could not be encoded or decoded
	 * @param cause the Jackson failure
	 */
	public JsonCodecException(String message, Throwable cause) {
		super(message, cause);
	}

}
