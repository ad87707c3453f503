package io.redispatterns.writebehind.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.writebehind.BufferState;
import io.redispatterns.writebehind.DeadBatch;
import io.redispatterns.writebehind.WriteBehind;
import io.redispatterns.writebehind.WriteBehinds;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: the Redis implementation of {@link WriteBehinds}, and the batch operations its flushers use.
 * Every operation is one script on the buffer's keys (one hash tag).
 */
public final class RedisWriteBehinds implements WriteBehinds {

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final WriteBehindKeys keys;

	private final JsonCodec codec;

	private final WriteBehindSettings settings;

	private final WriteBehindMetrics metrics;

	private final Map<String, RedisWriteBehind<?>> buffers = new ConcurrentHashMap<>();

	public RedisWriteBehinds(StringRedisTemplate redis, WriteBehindKeys keys, JsonCodec codec,
			WriteBehindSettings settings, WriteBehindMetrics metrics) {
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = keys;
		this.codec = codec;
		this.settings = settings;
		this.metrics = metrics;
		// a configured buffer's meters exist at zero from start-up, flushed here or not
		settings.perBuffer().keySet().forEach(metrics::register);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> WriteBehind<T> buffer(String name, Class<T> type) {
		if (name.isBlank()) {
			throw new IllegalArgumentException("A write-behind buffer needs a non-blank name");
		}
		return (WriteBehind<T>) this.buffers.computeIfAbsent(name,
				(n) -> new RedisWriteBehind<>(n, this.redis, this.keys, this.codec, this.settings.forBuffer(n),
						this.settings.replayWindow(), this.metrics, this::state));
	}

	@Override
	public BufferState state(String buffer) {
		List<?> reply;
		try {
			reply = this.scripts.run(WriteBehindScripts.STATE, List.of(this.keys.pending(buffer),
					this.keys.batch(buffer), this.keys.batchItems(buffer), this.keys.dead(buffer)));
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Reading write-behind buffer '" + buffer + "'", ex);
		}
		if (reply == null) {
			throw new IllegalStateException("The write-behind state script of buffer '" + buffer + "' returned nothing");
		}
		String id = (String) reply.get(2);
		String error = (String) reply.get(4);
		return new BufferState(buffer, (Long) reply.get(0), (Long) reply.get(1), id.isEmpty() ? null : id,
				((Long) reply.get(3)).intValue(), error.isEmpty() ? null : error, (Long) reply.get(5));
	}

	@Override
	public List<DeadBatch> deadLetters(String buffer, int max) {
		List<MapRecord<String, Object, Object>> records;
		try {
			records = this.redis.opsForStream()
				.reverseRange(this.keys.dead(buffer), Range.unbounded(), Limit.limit().count(Math.max(1, max)));
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Reading dead letters of write-behind buffer '" + buffer + "'", ex);
		}
		List<DeadBatch> dead = new ArrayList<>();
		if (records == null) {
			return dead;
		}
		for (MapRecord<String, Object, Object> record : records) {
			Map<Object, Object> fields = record.getValue();
			Map<String, String> items = this.codec.mapper()
				.readValue(String.valueOf(fields.get("items")), new TypeReference<LinkedHashMap<String, String>>() {
				});
			dead.add(new DeadBatch(String.valueOf(fields.get("batch")),
					Integer.parseInt(String.valueOf(fields.get("attempts"))), String.valueOf(fields.get("error")),
					items, Instant.ofEpochMilli(Long.parseLong(String.valueOf(fields.get("at"))))));
		}
		return dead;
	}

	/**
	 * Takes the buffer's batch, or nothing when the buffer is empty or another flusher holds the batch.
	 */
	@Nullable TakenBatch take(String buffer, int maxBatch) {
		String owner = UUID.randomUUID().toString();
		List<?> reply = this.scripts.run(WriteBehindScripts.TAKE,
				List.of(this.keys.pending(buffer), this.keys.order(buffer), this.keys.batch(buffer),
						this.keys.batchItems(buffer)),
				owner, Integer.toString(maxBatch), Long.toString(this.settings.lease().toMillis()));
		if (reply == null || reply.isEmpty()) {
			return null;
		}
		Map<String, String> items = new LinkedHashMap<>();
		for (int i = 3; i + 1 < reply.size(); i += 2) {
			items.put((String) reply.get(i), (String) reply.get(i + 1));
		}
		return new TakenBatch((String) reply.get(0), owner, ((Long) reply.get(1)).intValue(), (String) reply.get(2),
				items);
	}

	boolean extend(String buffer, TakenBatch batch) {
		return Long.valueOf(1).equals(this.scripts.run(WriteBehindScripts.EXTEND, List.of(this.keys.batch(buffer)),
				batch.owner(), Long.toString(this.settings.lease().toMillis())));
	}

	boolean ack(String buffer, TakenBatch batch) {
		return Long.valueOf(1).equals(this.scripts.run(WriteBehindScripts.ACK,
				List.of(this.keys.batch(buffer), this.keys.batchItems(buffer)), batch.id()));
	}

	/**
	 * Records a failed flush.
	 * @return 1 when the batch will be flushed again, 2 when it was dead-lettered, 0 when it was no
	 * longer this flusher's
	 */
	long fail(String buffer, TakenBatch batch, String error) {
		Long result = this.scripts.run(WriteBehindScripts.FAIL,
				List.of(this.keys.batch(buffer), this.keys.batchItems(buffer), this.keys.dead(buffer)), batch.owner(),
				error, Long.toString(this.settings.retryDelay().toMillis()),
				Integer.toString(this.settings.forBuffer(buffer).maxAttempts()),
				Long.toString(this.settings.deadLetterMaxLength()));
		return (result != null) ? result : 0;
	}

	boolean release(String buffer, TakenBatch batch) {
		return Long.valueOf(1).equals(
				this.scripts.run(WriteBehindScripts.RELEASE, List.of(this.keys.batch(buffer)), batch.owner()));
	}

	WriteBehindSettings settings() {
		return this.settings;
	}

	WriteBehindMetrics metrics() {
		return this.metrics;
	}

	JsonCodec codec() {
		return this.codec;
	}

}
