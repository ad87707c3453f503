package io.redispatterns.stream.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisPatternsException;
import io.redispatterns.stream.PublishOptions;
import io.redispatterns.stream.StreamHeaders;
import io.redispatterns.stream.StreamPublisher;

import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: {@link StreamPublisher}. A publish without an idempotency key is one plain
 * {@code XADD ... MAXLEN ~} (a client that re-sends it after a lost reply appends it twice, with the same
 * {@code id} header); with an idempotency key, or with replay-safe publishing on, {@code publish.lua} checks and
 * remembers the key in the same script.
 */
public final class DefaultStreamPublisher implements StreamPublisher {

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final StreamKeys keys;

	private final JsonCodec codec;

	private final ToLongFunction<String> maxLength;

	private final Duration idempotencyWindow;

	private final Duration replayWindow;

	private final StreamMetrics metrics;

	/**
	 * Creates the publisher.
	 * @param replayWindow how long the key generated for a publish without an idempotency key is kept (its
	 * message id), so that a re-sent command appends nothing; zero generates none (plain {@code XADD})
	 */
	public DefaultStreamPublisher(StringRedisTemplate redis, StreamKeys keys, JsonCodec codec,
			ToLongFunction<String> maxLength, Duration idempotencyWindow, Duration replayWindow,
			StreamMetrics metrics) {
		this.replayWindow = replayWindow;
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = keys;
		this.codec = codec;
		this.maxLength = maxLength;
		this.idempotencyWindow = idempotencyWindow;
		this.metrics = metrics;
	}

	@Override
	public String publish(String stream, Object payload, PublishOptions options) {
		String messageId = messageId();
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put(StreamHeaders.PAYLOAD, new String(this.codec.encode(payload), StandardCharsets.UTF_8));
		fields.put(StreamHeaders.TYPE, payload.getClass().getName());
		fields.put(StreamHeaders.MESSAGE_ID, messageId);
		fields.put(StreamHeaders.PUBLISHED_AT, Instant.now().toString());
		for (Map.Entry<String, String> header : options.headers().entrySet()) {
			String name = header.getKey();
			if (name.equals(StreamHeaders.PAYLOAD) || name.equals(StreamHeaders.TYPE)
					|| name.equals(StreamHeaders.MESSAGE_ID) || name.equals(StreamHeaders.PUBLISHED_AT)
					|| name.startsWith(StreamHeaders.DEAD_LETTER_PREFIX)) {
				throw new IllegalArgumentException("Header name '" + name + "' is reserved");
			}
			fields.put(name, header.getValue());
		}
		long maxLength = this.maxLength.applyAsLong(stream);
		String idempotencyKey = options.idempotencyKey();
		Duration window = (options.idempotencyWindow() != null) ? options.idempotencyWindow()
				: this.idempotencyWindow;
		if (idempotencyKey == null && !this.replayWindow.isZero()) {
			// the message id is the key: a command the client re-sends after a lost reply finds it, appends nothing
			idempotencyKey = "msg:" + messageId;
			window = this.replayWindow;
		}
		try {
			return (idempotencyKey != null) ? publishOnce(stream, maxLength, idempotencyKey, window, fields)
					: append(stream, maxLength, fields);
		}
		catch (RuntimeException ex) {
			if (ex instanceof RedisPatternsException) {
				throw ex;
			}
			// unavailable: nothing was appended; outcome unknown: retry with an idempotency key
			throw RedisFailures.translate("Publishing to stream '" + stream + "'", ex);
		}
	}

	/** One {@code XADD}. */
	private String append(String stream, long maxLength, Map<String, String> fields) {
		Map<byte[], byte[]> raw = new LinkedHashMap<>();
		fields.forEach((name, value) -> raw.put(bytes(name), bytes(value)));
		ByteRecord record = StreamRecords.rawBytes(raw).withStreamKey(bytes(this.keys.stream(stream)));
		XAddOptions trim = (maxLength > 0) ? XAddOptions.maxlen(maxLength).approximateTrimming(true)
				: XAddOptions.none();
		RecordId id = this.redis.execute((RedisCallback<RecordId>) (connection) -> connection.streamCommands()
			.xAdd(record, trim));
		if (id == null) {
			throw new RedisPatternsException("No entry id returned by XADD for stream '" + stream + "'");
		}
		this.metrics.published(stream, false);
		return id.getValue();
	}

	/** {@code publish.lua}: appends unless the key was seen within its window. */
	private String publishOnce(String stream, long maxLength, String idempotencyKey, Duration window,
			Map<String, String> fields) {
		List<String> args = new ArrayList<>(2 + 2 * fields.size());
		args.add(Long.toString(maxLength));
		args.add(Long.toString(Math.max(1, window.toMillis())));
		fields.forEach((name, value) -> {
			args.add(name);
			args.add(value);
		});
		List<?> result = this.scripts.run(StreamScripts.PUBLISH,
				List.of(this.keys.stream(stream), this.keys.idempotency(stream, idempotencyKey)), args.toArray());
		if (result == null || result.size() != 2) {
			throw new RedisPatternsException("Unexpected reply from the publish script for stream '" + stream + "'");
		}
		boolean duplicate = ((Number) result.get(1)).longValue() == 1;
		this.metrics.published(stream, duplicate);
		return String.valueOf(result.get(0));
	}

	/**
	 * A random (version 4) UUID from {@link ThreadLocalRandom}: unique enough for a message id, and free of the
	 * lock {@link UUID#randomUUID()} takes on its shared {@code SecureRandom}.
	 */
	private static String messageId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
