package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.Consumer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Internal: {@link EntryReads} on a Lettuce connection of its own, made by the connection factory's client (its URI
 * with credentials, database and timeouts, its client options and {@code ClientResources}); on Cluster a cluster
 * connection, which sends the read to the master of the stream's slot. The reply is decoded by
 * {@link StreamFieldCodec} straight into each entry's field map.
 */
final class LettuceEntryReads implements EntryReads {

	/**
	 * Reads sent ahead at most: two, so that Redis executes one while the client decodes the reply of the other.
	 */
	static final int MAX_AHEAD = 2;

	private final StatefulConnection<String, String> connection;

	private final RedisStreamCommands<String, String> commands;

	private final RedisStreamAsyncCommands<String, String> asyncCommands;

	/** The replies of reads sent ahead and not taken yet, oldest first (at most {@link #MAX_AHEAD}). */
	private final ArrayDeque<RedisFuture<List<StreamMessage<String, String>>>> ahead = new ArrayDeque<>(MAX_AHEAD);

	private final Consumer<String> consumer;

	private final XReadArgs.StreamOffset<String> offset;

	/** Arguments of the last read, reused while count and block stay the same (a backlog reads with the same). */
	private @Nullable XReadArgs args;

	private int argsCount;

	private @Nullable Duration argsBlock;

	private LettuceEntryReads(StatefulConnection<String, String> connection,
			RedisStreamCommands<String, String> commands, RedisStreamAsyncCommands<String, String> asyncCommands,
			String streamKey, ListenerSettings settings) {
		this.connection = connection;
		this.commands = commands;
		this.asyncCommands = asyncCommands;
		this.consumer = Consumer.from(settings.group(), settings.consumer());
		this.offset = XReadArgs.StreamOffset.lastConsumed(streamKey);
	}

	/**
	 * Connects with the factory's client; {@code null} when its client has no default URI to connect to (static
	 * master/replica), where the reads go through Spring Data Redis instead.
	 */
	static @Nullable EntryReads open(LettuceConnectionFactory factory, String streamKey, ListenerSettings settings) {
		AbstractRedisClient client = factory.getRequiredNativeClient();
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterConnection<String, String> connection = cluster.connect(new StreamFieldCodec());
			return new LettuceEntryReads(connection, connection.sync(), connection.async(), streamKey, settings);
		}
		if (client instanceof RedisClient standalone) {
			StatefulRedisConnection<String, String> connection;
			try {
				connection = standalone.connect(new StreamFieldCodec());
			}
			catch (IllegalStateException ex) {
				// "RedisURI is not available": a client made for static master/replica connects per node
				return null;
			}
			return new LettuceEntryReads(connection, connection.sync(), connection.async(), streamKey, settings);
		}
		return null;
	}

	@Override
	public List<StreamEntry> read(int count, @Nullable Duration block) {
		RedisFuture<List<StreamMessage<String, String>>> sent = this.ahead.poll();
		List<StreamMessage<String, String>> messages;
		if (sent != null) {
			// as the synchronous API waits: up to the command timeout, then cancelled
			messages = LettuceFutures.awaitOrCancel(sent, this.connection.getTimeout().toNanos(),
					TimeUnit.NANOSECONDS);
		}
		else {
			messages = this.commands.xreadgroup(this.consumer, args(count, block), this.offset);
		}
		if (messages == null || messages.isEmpty()) {
			return List.of();
		}
		List<StreamEntry> entries = new ArrayList<>(messages.size());
		for (StreamMessage<String, String> message : messages) {
			entries.add(new StreamEntry(message.getId(), 1, message.getBody(), false));
		}
		return entries;
	}

	@Override
	public boolean sendAhead(int count) {
		if (this.ahead.size() >= MAX_AHEAD) {
			return false;
		}
		this.ahead.add(this.asyncCommands.xreadgroup(this.consumer, args(count, null), this.offset));
		return true;
	}

	@Override
	public boolean hasAhead() {
		return !this.ahead.isEmpty();
	}

	private XReadArgs args(int count, @Nullable Duration block) {
		XReadArgs args = this.args;
		if (args == null || count != this.argsCount || !java.util.Objects.equals(block, this.argsBlock)) {
			args = XReadArgs.Builder.count(count);
			if (block != null) {
				args.block(block);
			}
			this.args = args;
			this.argsCount = count;
			this.argsBlock = block;
		}
		return args;
	}

	@Override
	public void close() {
		this.connection.close();
	}

}
