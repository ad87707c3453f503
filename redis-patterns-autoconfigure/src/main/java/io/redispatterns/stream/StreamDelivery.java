package io.redispatterns.stream;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One delivery of a stream entry to a {@link RedisStreamListener @RedisStreamListener} method.
 *
 * @param stream logical stream name
 * @param group consumer group
 * @param id Redis entry id, such as {@code 1700000000000-0}
 * @param attempt delivery number, 1 for the first delivery (from Redis's delivery counter)
 * @param headers every field of the entry but the payload, including {@code type}, {@code id} and
 * {@code published-at}
 */
public record StreamDelivery(String stream, String group, String id, int attempt, Map<String, String> headers) {

	/**
	 * Returns one header.
	 * @param name the header name
	 * @return the value, or {@code null} when absent
	 */
	public @Nullable String header(String name) {
		return this.headers.get(name);
	}

}
