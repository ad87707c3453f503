package io.redispatterns.stream;

/**
 * Appends JSON entries to Redis streams. Each entry holds the payload ({@code payload} field, JSON from the
 * application's {@link io.redispatterns.core.JsonCodec}) and the headers {@code type}, {@code id} and
 * {@code published-at}; the stream is trimmed with {@code MAXLEN ~} to the configured length.
 */
public interface StreamPublisher {

	/**
	 * Publishes a payload.
	 * @param stream logical stream name, such as {@code orders}
	 * @param payload the payload, encoded as JSON
	 * @return the Redis entry id
	 */
	default String publish(String stream, Object payload) {
		return publish(stream, payload, PublishOptions.none());
	}

	/**
	 * Publishes a payload with headers and an optional idempotency key. When the key was used within its
	 * window, nothing is written and the first entry's id is returned.
	 * @param stream logical stream name
	 * @param payload the payload, encoded as JSON
	 * @param options headers and idempotency key
	 * @return the Redis entry id (of the first publish, for a repeated idempotency key)
	 */
	String publish(String stream, Object payload, PublishOptions options);

}
