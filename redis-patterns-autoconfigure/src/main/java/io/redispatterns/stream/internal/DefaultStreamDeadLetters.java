package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToLongFunction;

import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.stream.DeadLetter;
import io.redispatterns.stream.StreamDeadLetters;
import io.redispatterns.stream.StreamHeaders;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: {@link StreamDeadLetters} over the {@code <stream>:dlq} streams.
 */
public final class DefaultStreamDeadLetters implements StreamDeadLetters {

	static final String ORIGINAL_ID = StreamHeaders.DEAD_LETTER_PREFIX + "original-id";

	static final String GROUP = StreamHeaders.DEAD_LETTER_PREFIX + "group";

	static final String ERROR = StreamHeaders.DEAD_LETTER_PREFIX + "error";

	static final String ATTEMPTS = StreamHeaders.DEAD_LETTER_PREFIX + "attempts";

	static final String CONSUMER = StreamHeaders.DEAD_LETTER_PREFIX + "consumer";

	static final String AT = StreamHeaders.DEAD_LETTER_PREFIX + "at";

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final StreamKeys keys;

	private final ToLongFunction<String> maxLength;

	private final Duration replayWindow;

	/**
	 * Creates the dead-letter operations.
	 * @param replayWindow how long the token of a replay call is kept so that a re-sent call moves nothing more;
	 * zero uses none
	 */
	public DefaultStreamDeadLetters(StringRedisTemplate redis, StreamKeys keys, ToLongFunction<String> maxLength,
			Duration replayWindow) {
		this.replayWindow = replayWindow;
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = keys;
		this.maxLength = maxLength;
	}

	@Override
	public List<DeadLetter> list(String stream, int count) {
		return list(stream, Range.unbounded(), count);
	}

	@Override
	public List<DeadLetter> list(String stream, String fromId, int count) {
		return list(stream, Range.rightUnbounded(Range.Bound.inclusive(fromId)), count);
	}

	private List<DeadLetter> list(String stream, Range<String> range, int count) {
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
			.range(this.keys.deadLetters(stream), range, Limit.limit().count(Math.max(1, count)));
		List<DeadLetter> letters = new ArrayList<>();
		if (records == null) {
			return letters;
		}
		for (MapRecord<String, Object, Object> record : records) {
			Map<String, String> headers = new LinkedHashMap<>();
			String payload = null;
			for (Map.Entry<Object, Object> field : record.getValue().entrySet()) {
				String name = String.valueOf(field.getKey());
				String value = String.valueOf(field.getValue());
				if (name.equals(StreamHeaders.PAYLOAD)) {
					payload = value;
				}
				else if (!name.startsWith(StreamHeaders.DEAD_LETTER_PREFIX)) {
					headers.put(name, value);
				}
			}
			Map<Object, Object> fields = record.getValue();
			letters.add(new DeadLetter(record.getId().getValue(), text(fields, ORIGINAL_ID), text(fields, GROUP),
					text(fields, ERROR), parseInt(text(fields, ATTEMPTS)), text(fields, AT), payload, headers));
		}
		return letters;
	}

	@Override
	public long size(String stream) {
		Long size = this.redis.opsForStream().size(this.keys.deadLetters(stream));
		return (size != null) ? size : 0;
	}

	@Override
	public long replay(String stream, int count) {
		return replay(stream, "", Math.max(1, count), List.of());
	}

	@Override
	public long replay(String stream, String group, int count) {
		if (group.isEmpty()) {
			throw new IllegalArgumentException("group must not be empty");
		}
		return replay(stream, group, Math.max(1, count), List.of());
	}

	@Override
	public long replay(String stream, List<String> ids) {
		if (ids.isEmpty()) {
			return 0;
		}
		return replay(stream, "", ids.size(), ids);
	}

	private long replay(String stream, String group, int count, List<String> ids) {
		List<String> args = new ArrayList<>();
		args.add(Integer.toString(count));
		args.add(Long.toString(this.maxLength.applyAsLong(stream)));
		args.add(StreamHeaders.DEAD_LETTER_PREFIX);
		args.add(GROUP);
		args.add(StreamHeaders.REPLAY_FOR);
		args.add(group);
		args.add(Long.toString(Math.max(1, this.replayWindow.toMillis())));
		args.addAll(ids);
		List<String> scriptKeys = new ArrayList<>(List.of(this.keys.stream(stream), this.keys.deadLetters(stream)));
		if (!this.replayWindow.isZero()) {
			// "move the oldest N" run twice would move 2N: the token makes a re-sent call a no-op
			scriptKeys.add(this.keys.idempotency(stream, "replay:" + UUID.randomUUID()));
		}
		Long moved;
		try {
			moved = this.scripts.run(StreamScripts.REPLAY, scriptKeys, args.toArray());
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Replaying dead letters of stream '" + stream + "'", ex);
		}
		return (moved != null) ? moved : 0;
	}

	@Override
	public long purge(String stream) {
		long size = size(stream);
		this.redis.delete(this.keys.deadLetters(stream));
		return size;
	}

	private static String text(Map<Object, Object> fields, String name) {
		Object value = fields.get(name);
		return (value != null) ? value.toString() : "";
	}

	private static int parseInt(String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
