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

	private final StreamMetrics metrics;

	public DefaultStreamPublisher(StringRedisTemplate redis, StreamKeys keys, JsonCodec codec,
			ToLongFunction<String> maxLength, Duration idempotencyWindow, StreamMetrics metrics) {
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
		Duration window = (options.idempotencyWindow() != null) ? options.idempotencyWindow()
				: this.idempotencyWindow;
		args.add(Long.toString(Math.max(1, window.toMillis())));
		add(args, StreamHeaders.PAYLOAD, new String(this.codec.encode(payload), StandardCharsets.UTF_8));
		add(args, StreamHeaders.TYPE, payload.getClass().getName());
		add(args, StreamHeaders.MESSAGE_ID, UUID.randomUUID().toString());
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
		List<String> scriptKeys = (options.idempotencyKey() != null)
				? List.of(this.keys.stream(stream), this.keys.idempotency(stream, options.idempotencyKey()))
				: List.of(this.keys.stream(stream));
		List<?> result = this.redis.execute(StreamScripts.PUBLISH, scriptKeys, args.toArray());
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
