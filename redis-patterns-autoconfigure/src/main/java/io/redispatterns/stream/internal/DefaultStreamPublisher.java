package io.redispatterns.stream.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToLongFunction;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisPatternsException;
import io.redispatterns.stream.PublishOptions;
import io.redispatterns.stream.StreamHeaders;
import io.redispatterns.stream.StreamPublisher;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: {@link StreamPublisher} running {@code publish.lua} (XADD with MAXLEN ~, idempotency key check).
 */
public final class DefaultStreamPublisher implements StreamPublisher {

	private final StringRedisTemplate redis;

	private final StreamKeys keys;

	private final JsonCodec codec;

	private final ToLongFunction<String> maxLength;

	private final Duration idempotencyWindow;

	private final Duration replayWindow;

	private final StreamMetrics metrics;

	/**
	 * Creates the publisher.
	 * @param replayWindow how long the key generated for a publish without an idempotency key is kept (its
	 * message id), so that a re-sent command appends nothing; zero generates none
	 */
	public DefaultStreamPublisher(StringRedisTemplate redis, StreamKeys keys, JsonCodec codec,
			ToLongFunction<String> maxLength, Duration idempotencyWindow, Duration replayWindow,
			StreamMetrics metrics) {
		this.replayWindow = replayWindow;
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
		this.maxLength = maxLength;
		this.idempotencyWindow = idempotencyWindow;
		this.metrics = metrics;
	}

	@Override
	public String publish(String stream, Object payload, PublishOptions options) {
		List<String> args = new ArrayList<>();
		args.add(Long.toString(this.maxLength.applyAsLong(stream)));
		String messageId = UUID.randomUUID().toString();
		// Without a caller's key the message id is the key: Lettuce re-sends a command whose reply was lost on
		// reconnect, and the re-sent script then finds the key and appends nothing.
		String idempotencyKey = options.idempotencyKey();
		Duration window = (options.idempotencyWindow() != null) ? options.idempotencyWindow()
				: this.idempotencyWindow;
		if (idempotencyKey == null && !this.replayWindow.isZero()) {
			idempotencyKey = "msg:" + messageId;
			window = this.replayWindow;
		}
		args.add(Long.toString(Math.max(1, window.toMillis())));
		add(args, StreamHeaders.PAYLOAD, new String(this.codec.encode(payload), StandardCharsets.UTF_8));
		add(args, StreamHeaders.TYPE, payload.getClass().getName());
		add(args, StreamHeaders.MESSAGE_ID, messageId);
		add(args, StreamHeaders.PUBLISHED_AT, Instant.now().toString());
		for (Map.Entry<String, String> header : options.headers().entrySet()) {
			String name = header.getKey();
			if (name.equals(StreamHeaders.PAYLOAD) || name.equals(StreamHeaders.TYPE)
					|| name.equals(StreamHeaders.MESSAGE_ID) || name.equals(StreamHeaders.PUBLISHED_AT)
					|| name.startsWith(StreamHeaders.DEAD_LETTER_PREFIX)) {
				throw new IllegalArgumentException("Header name '" + name + "' is reserved");
			}
			add(args, name, header.getValue());
		}
		List<String> scriptKeys = (idempotencyKey != null)
				? List.of(this.keys.stream(stream), this.keys.idempotency(stream, idempotencyKey))
				: List.of(this.keys.stream(stream));
		List<?> result;
		try {
			result = this.redis.execute(StreamScripts.PUBLISH, scriptKeys, args.toArray());
		}
		catch (RuntimeException ex) {
			// unavailable: nothing was appended; outcome unknown: retry with an idempotency key
			throw RedisFailures.translate("Publishing to stream '" + stream + "'", ex);
		}
		if (result == null || result.size() != 2) {
			throw new RedisPatternsException("Unexpected reply from the publish script for stream '" + stream + "'");
		}
		boolean duplicate = ((Number) result.get(1)).longValue() == 1;
		this.metrics.published(stream, duplicate);
		return String.valueOf(result.get(0));
	}

	private static void add(List<String> args, String field, String value) {
		args.add(field);
		args.add(value);
	}

}
