package io.redispatterns.stream;

/**
 * Names of the fields every entry written by {@link StreamPublisher} carries besides the user's headers.
 */
public final class StreamHeaders {

	/** Field holding the JSON payload. */
	public static final String PAYLOAD = "payload";

	/** Header holding the payload's class name. */
	public static final String TYPE = "type";

	/** Header holding a unique message id (a UUID) assigned at publish time. */
	public static final String MESSAGE_ID = "id";

	/** Header holding the publish time, ISO-8601 ({@link java.time.Instant#toString()}). */
	public static final String PUBLISHED_AT = "published-at";

	/**
	 * Header of an entry replayed from the dead-letter stream, naming the consumer group that dead-lettered it.
	 * Only that group's listener handles the entry; the containers of the stream's other groups (which handled
	 * the original entry already) acknowledge it without calling their listener.
	 */
	public static final String REPLAY_FOR = "replay-for";

	/** Prefix of the fields the dead-letter stream adds to an entry. */
	public static final String DEAD_LETTER_PREFIX = "dlq-";

	private StreamHeaders() {
	}

}
