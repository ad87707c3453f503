package io.redispatterns.stream;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Options of one {@link StreamPublisher#publish(String, Object, PublishOptions)} call: extra headers and an
 * optional idempotency key. Immutable; build with {@link #none()} and the {@code withXxx} methods.
 *
 * @param headers extra headers written as entry fields (names must not clash with {@link StreamHeaders})
 * @param idempotencyKey when set, a second publish with the same key within the window writes nothing and
 * returns the first entry's id
 * @param idempotencyWindow how long the key is remembered; {@code null} uses
 * {@code redis-patterns.stream.idempotency-window}
 */
public record PublishOptions(Map<String, String> headers, @Nullable String idempotencyKey,
		@Nullable Duration idempotencyWindow) {

	private static final PublishOptions NONE = new PublishOptions(Map.of(), null, null);

	/**
	 * Copies the headers.
	 * @param headers extra headers
	 * @param idempotencyKey idempotency key or {@code null}
	 * @param idempotencyWindow window or {@code null}
	 */
	public PublishOptions {
		headers = Map.copyOf(headers);
	}

	/**
	 * Returns options with no headers and no idempotency key.
	 * @return the empty options
	 */
	public static PublishOptions none() {
		return NONE;
	}

	/**
	 * Returns a copy with one more header.
	 * @param name header name
	 * @param value header value
	 * @return the new options
	 */
	public PublishOptions withHeader(String name, String value) {
		Map<String, String> copy = new LinkedHashMap<>(this.headers);
		copy.put(name, value);
		return new PublishOptions(copy, this.idempotencyKey, this.idempotencyWindow);
	}

	/**
	 * Returns a copy with an idempotency key.
	 * @param key the key, such as an order number
	 * @return the new options
	 */
	public PublishOptions withIdempotencyKey(String key) {
		return new PublishOptions(this.headers, key, this.idempotencyWindow);
	}

	/**
	 * Returns a copy with an idempotency window.
	 * @param window how long the key is remembered
	 * @return the new options
	 */
	public PublishOptions withIdempotencyWindow(Duration window) {
		return new PublishOptions(this.headers, this.idempotencyKey, window);
	}

}
