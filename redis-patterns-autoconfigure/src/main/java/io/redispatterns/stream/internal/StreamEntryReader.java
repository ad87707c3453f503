package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.LuaScriptRunner;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: the Redis reads of one container: new entries ({@code XREADGROUP} on the container's dedicated
 * connection), this consumer's failed entries again ({@code reclaim.lua}), idle entries of other consumers
 * ({@code claim.lua}, {@code XAUTOCLAIM}) and this consumer's pending entries after a restart. Used by the poll
 * loop only.
 */
final class StreamEntryReader {

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final ListenerSettings settings;

	private final String streamKey;

	private final Consumer consumer;

	private final ConsumerGroupGuard group;

	/** Where the next {@code XAUTOCLAIM} continues the group's pending-entries scan. */
	private String claimCursor = "0-0";

	StreamEntryReader(StringRedisTemplate redis, ListenerSettings settings, String streamKey,
			ConsumerGroupGuard group) {
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.settings = settings;
		this.streamKey = streamKey;
		this.consumer = Consumer.from(settings.group(), settings.consumer());
		this.group = group;
	}

	/** Starts the {@code XAUTOCLAIM} scan over (the group was created again). */
	void resetClaimCursor() {
		this.claimCursor = "0-0";
	}

	/** Opens the dedicated connection that {@link #read} uses. */
	EntryReads open(RedisConnectionFactory connectionFactory) {
		return EntryReads.open(connectionFactory, this.streamKey, this.settings);
	}

	/**
	 * Reads up to {@code count} new entries; {@code block} {@code null} returns at once when there are none.
	 */
	List<StreamEntry> read(EntryReads connection, int count, @Nullable Duration block) {
		List<StreamEntry> entries = connection.read(count, block);
		if (!entries.isEmpty()) {
			// ids grow within one reply: the last one is the group's new position
			this.group.read(entries.get(entries.size() - 1).id());
		}
		return entries;
	}

	/** Claims this consumer's own failed entries to itself again (a new delivery) and returns them. */
	List<StreamEntry> reclaim(List<String> ids) {
		List<String> args = new ArrayList<>(ids.size() + 3);
		args.add(this.settings.group());
		args.add(this.settings.consumer());
		args.add("0");
		args.addAll(ids);
		return entries(this.scripts.run(StreamScripts.RECLAIM, List.of(this.streamKey), args.toArray()), false);
	}

	/**
	 * Claims idle entries, continuing the pending-entries scan where the previous call stopped: Redis examines
	 * at most ten times COUNT entries per call, so always starting at {@code 0-0} would never reach idle
	 * entries queued behind many entries of live consumers. The scan starts over when Redis returns
	 * {@code 0-0} (end of the pending list).
	 */
	List<StreamEntry> autoClaim(int count) {
		List<?> reply = this.scripts.run(StreamScripts.CLAIM, List.of(this.streamKey), this.settings.group(),
				this.settings.consumer(), Long.toString(this.settings.claimIdle().toMillis()), this.claimCursor,
				Integer.toString(count));
		if (reply != null && !reply.isEmpty() && reply.get(0) != null) {
			this.claimCursor = String.valueOf(reply.get(0));
		}
		return entries(reply, true);
	}

	/** This consumer's pending entries (after a restart with the same consumer name). */
	List<String> ownPending() {
		PendingMessages pending = this.redis.opsForStream()
			.pending(this.streamKey, this.consumer, Range.unbounded(), 10_000L);
		List<String> ids = new ArrayList<>();
		for (PendingMessage message : pending) {
			ids.add(message.getIdAsString());
		}
		return ids;
	}

	@SuppressWarnings("unchecked")
	private static List<StreamEntry> entries(@Nullable List<?> reply, boolean claimed) {
		List<StreamEntry> entries = new ArrayList<>();
		if (reply == null) {
			return entries;
		}
		for (int i = 1; i < reply.size(); i++) {
			List<Object> item = (List<Object>) reply.get(i);
			List<Object> raw = (List<Object>) item.get(2);
			Map<String, String> fields = new LinkedHashMap<>();
			for (int f = 0; f + 1 < raw.size(); f += 2) {
				fields.put(String.valueOf(raw.get(f)), String.valueOf(raw.get(f + 1)));
			}
			entries.add(new StreamEntry(String.valueOf(item.get(0)), ((Number) item.get(1)).intValue(), fields,
					claimed));
		}
		return entries;
	}

}
