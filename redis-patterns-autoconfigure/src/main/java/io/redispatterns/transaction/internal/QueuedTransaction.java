package io.redispatterns.transaction.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.redispatterns.transaction.OptimisticTransaction;
import org.jspecify.annotations.Nullable;

/**
 * One attempt: reads go straight to the watching connection, writes are kept until {@code EXEC}.
 */
final class QueuedTransaction implements OptimisticTransaction {

	private final RedisCommands<String, String> commands;

	private final int attempt;

	final List<Consumer<RedisCommands<String, String>>> writes = new ArrayList<>();

	final Set<String> writtenKeys = new LinkedHashSet<>();

	QueuedTransaction(RedisCommands<String, String> commands, int attempt) {
		this.commands = commands;
		this.attempt = attempt;
	}

	@Override
	public int attempt() {
		return this.attempt;
	}

	@Override
	public @Nullable String get(String key) {
		return this.commands.get(key);
	}

	@Override
	public @Nullable String hget(String key, String field) {
		return this.commands.hget(key, field);
	}

	@Override
	public Map<String, String> hgetall(String key) {
		Map<String, String> fields = this.commands.hgetall(key);
		return (fields != null) ? fields : Map.of();
	}

	@Override
	public void set(String key, String value) {
		queue(key, (redis) -> redis.set(key, value));
	}

	@Override
	public void set(String key, String value, Duration ttl) {
		queue(key, (redis) -> redis.set(key, value, SetArgs.Builder.px(ttl.toMillis())));
	}

	@Override
	public void delete(String key) {
		queue(key, (redis) -> redis.del(key));
	}

	@Override
	public void incrBy(String key, long delta) {
		queue(key, (redis) -> redis.incrby(key, delta));
	}

	@Override
	public void hset(String key, String field, String value) {
		queue(key, (redis) -> redis.hset(key, field, value));
	}

	@Override
	public void hdel(String key, String field) {
		queue(key, (redis) -> redis.hdel(key, field));
	}

	@Override
	public void expire(String key, Duration ttl) {
		queue(key, (redis) -> redis.pexpire(key, ttl.toMillis()));
	}

	private void queue(String key, Consumer<RedisCommands<String, String>> write) {
		this.writtenKeys.add(key);
		this.writes.add(write);
	}

}
