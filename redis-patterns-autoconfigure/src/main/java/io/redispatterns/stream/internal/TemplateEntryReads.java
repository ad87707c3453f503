package io.redispatterns.stream.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

/**
 * Internal: {@link EntryReads} through Spring Data Redis, for clients other than Lettuce: a blocking read runs on
 * the connection's dedicated connection.
 */
final class TemplateEntryReads implements EntryReads {

	private final RedisConnection connection;

	private final byte[] rawStreamKey;

	private final Consumer consumer;

	/** Reuses the strings of field names and of repeated header values (read by the poll loop's thread only). */
	private final FieldStrings names = new FieldStrings();

	TemplateEntryReads(RedisConnection connection, String streamKey, ListenerSettings settings) {
		this.connection = connection;
		this.rawStreamKey = streamKey.getBytes(StandardCharsets.UTF_8);
		this.consumer = Consumer.from(settings.group(), settings.consumer());
	}

	@Override
	public List<StreamEntry> read(int count, @Nullable Duration block) {
		StreamReadOptions options = StreamReadOptions.empty().count(count);
		if (block != null) {
			options = options.block(block);
		}
		List<ByteRecord> records = this.connection.streamCommands()
			.xReadGroup(this.consumer, options, StreamOffset.create(this.rawStreamKey, ReadOffset.lastConsumed()));
		if (records == null || records.isEmpty()) {
			return List.of();
		}
		List<StreamEntry> entries = new ArrayList<>(records.size());
		for (ByteRecord record : records) {
			Map<byte[], byte[]> raw = record.getValue();
			Map<String, String> fields = new LinkedHashMap<>(Math.max(8, raw.size() * 2));
			raw.forEach((k, v) -> {
				String name = this.names.name(k);
				fields.put(name, this.names.value(name, v));
			});
			entries.add(new StreamEntry(record.getId().getValue(), 1, fields, false));
		}
		return entries;
	}

	@Override
	public void close() {
		this.connection.close();
	}

}
