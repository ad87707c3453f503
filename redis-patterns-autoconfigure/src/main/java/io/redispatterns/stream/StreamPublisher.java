package io.redispatterns.stream;

/**
 * Appends JSON entries to Redis streams. Each entry holds the payload ({@code payload} field, JSON from the
 * application's {@link io.redispatterns.core.JsonCodec}) and the headers {@code type}, {@code id} and
 * {@code published-at}; the stream is trimmed with {@code MAXLEN ~} to the configured length.
 * <p>
 * A publish without an idempotency key is one {@code XADD} and at-least-once: the client re-sends a command
 * whose reply was lost when it reconnects, and a re-sent {@code XADD} appends the message a second time (with the
 * same {@code id} header). With an idempotency key (or {@code redis-patterns.stream.replay-safe-publish}, which
 * generates one from the message id, kept for {@code redis-patterns.stream.replay-window}) a script checks the
 * key and a re-sent publish appends nothing. Failures say what happened:
 * {@link io.redispatterns.core.RedisUnavailableException} when nothing was written (safe to retry),
 * {@link io.redispatterns.core.RedisOutcomeUnknownException} when the command was sent and no reply came (retry
 * with {@link PublishOptions#withIdempotencyKey(String) an idempotency key} to append at most once).
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
	 * @throws io.redispatterns.core.RedisUnavailableException when Redis could not be reached (nothing written)
	 * @throws io.redispatterns.core.RedisOutcomeUnknownException when the outcome is unknown
	 */
	String publish(String stream, Object payload, PublishOptions options);

}
