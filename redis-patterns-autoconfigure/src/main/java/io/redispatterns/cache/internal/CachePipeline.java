package io.redispatterns.cache.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisConnectionUtils;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Commands of a bulk cache operation, sent back-to-back on the application's shared Lettuce
 * connection and awaited together: one round trip per Redis node. On Cluster, Lettuce routes each
 * command to the master owning its key and splits an {@code MGET} into one {@code MGET} per slot, all
 * written before any reply is read. Scripts go as {@code EVALSHA}; when a server answers
 * {@code NOSCRIPT} (restart, failover, {@code SCRIPT FLUSH}) the batch is sent again with
 * {@code EVAL}, which is safe because every cache script recognises its own earlier run.
 * <p>
 * Other clients than Lettuce (or a connection bound to a transaction) run the commands one by one
 * through the template.
 */
final class CachePipeline {

	private final StringRedisTemplate redis;

	private final List<Command> commands = new ArrayList<>();

	CachePipeline(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** Adds an {@code MGET}; its result is a list of the values, {@code null} for a missing key. */
	int mget(List<String> keys) {
		return add(new Command(Kind.MGET, null, keys, List.of()));
	}

	/** Adds a {@code SET key value PX ttl}. */
	int set(String key, String value, long ttlMillis) {
		return add(new Command(Kind.SET, null, List.of(key), List.of(value, Long.toString(ttlMillis))));
	}

	/** Adds an {@code UNLINK} of keys of one slot. */
	int unlink(List<String> sameSlotKeys) {
		return add(new Command(Kind.UNLINK, null, sameSlotKeys, List.of()));
	}

	/** Adds a {@code PUBLISH}. */
	int publish(String channel, String message) {
		return add(new Command(Kind.PUBLISH, null, List.of(channel), List.of(message)));
	}

	/** Adds a script returning an integer; its keys share one slot. */
	int script(RedisScript<Long> script, List<String> keys, List<String> args) {
		return add(new Command(Kind.SCRIPT, script, keys, args));
	}

	boolean isEmpty() {
		return this.commands.isEmpty();
	}

	private int add(Command command) {
		this.commands.add(command);
		return this.commands.size() - 1;
	}

	/**
	 * Sends every command and waits for all replies.
	 * @return the result of each command, by the index its {@code add} method returned
	 * @throws RuntimeException the first failure, translated as Spring Data Redis does
	 */
	List<@Nullable Object> execute() {
		if (this.commands.isEmpty()) {
			return List.of();
		}
		try {
			return send(false);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return send(true);
		}
	}

	private List<@Nullable Object> send(boolean eval) {
		RedisConnectionFactory factory = this.redis.getRequiredConnectionFactory();
		RedisConnection connection = RedisConnectionUtils.getConnection(factory);
		try {
			if (connection instanceof LettuceConnection lettuce && !lettuce.isPipelined() && !lettuce.isQueueing()) {
				return sendAsync(lettuce.getNativeConnection(), eval, timeout(factory));
			}
		}
		finally {
			RedisConnectionUtils.releaseConnection(connection, factory);
		}
		List<@Nullable Object> results = new ArrayList<>(this.commands.size());
		for (Command command : this.commands) {
			results.add(command.run(this.redis));
		}
		return results;
	}

	private List<@Nullable Object> sendAsync(RedisClusterAsyncCommands<byte[], byte[]> async, boolean eval,
			Duration timeout) {
		List<RedisFuture<?>> futures = new ArrayList<>(this.commands.size());
		for (Command command : this.commands) {
			futures.add(command.send(async, eval));
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		List<@Nullable Object> results = new ArrayList<>(futures.size());
		RuntimeException failure = null;
		for (int i = 0; i < futures.size(); i++) {
			try {
				Object reply = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				results.add(this.commands.get(i).convert(reply));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RedisSystemException("Interrupted while waiting for Redis", ex);
			}
			catch (ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				// every reply is awaited, so that a NOSCRIPT anywhere in the batch is seen
				if (failure == null || isNoScript(cause)) {
					failure = new RedisSystemException("Redis command failed: " + cause.getMessage(), cause);
				}
				results.add(null);
			}
			catch (TimeoutException ex) {
				throw new QueryTimeoutException("Redis did not answer within " + timeout, ex);
			}
		}
		if (failure != null) {
			throw failure;
		}
		return results;
	}

	private static Duration timeout(RedisConnectionFactory factory) {
		return (factory instanceof LettuceConnectionFactory lettuce) ? lettuce.getClientConfiguration().getCommandTimeout()
				: Duration.ofMinutes(1);
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable t = ex; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[][] bytes(List<String> values) {
		byte[][] result = new byte[values.size()][];
		for (int i = 0; i < result.length; i++) {
			result[i] = bytes(values.get(i));
		}
		return result;
	}

	private enum Kind {

		MGET, SET, UNLINK, PUBLISH, SCRIPT

	}

	private record Command(Kind kind, @Nullable RedisScript<Long> script, List<String> keys, List<String> args) {

		RedisFuture<?> send(RedisClusterAsyncCommands<byte[], byte[]> async, boolean eval) {
			return switch (this.kind) {
				case MGET -> async.mget(bytes(this.keys));
				case SET -> async.set(bytes(this.keys.get(0)), bytes(this.args.get(0)),
						SetArgs.Builder.px(Long.parseLong(this.args.get(1))));
				case UNLINK -> async.unlink(bytes(this.keys));
				case PUBLISH -> async.publish(bytes(this.keys.get(0)), bytes(this.args.get(0)));
				case SCRIPT -> {
					RedisScript<Long> redisScript = java.util.Objects.requireNonNull(this.script);
					yield eval
							? async.eval(redisScript.getScriptAsString(), ScriptOutputType.INTEGER, bytes(this.keys),
									bytes(this.args))
							: async.evalsha(redisScript.getSha1(), ScriptOutputType.INTEGER, bytes(this.keys),
									bytes(this.args));
				}
			};
		}

		@Nullable Object convert(@Nullable Object reply) {
			if (this.kind != Kind.MGET || !(reply instanceof List<?> pairs)) {
				return reply;
			}
			List<@Nullable String> values = new ArrayList<>(pairs.size());
			for (Object pair : pairs) {
				KeyValue<?, ?> keyValue = (KeyValue<?, ?>) pair;
				values.add(keyValue.hasValue() ? new String((byte[]) keyValue.getValue(), StandardCharsets.UTF_8) : null);
			}
			return values;
		}

		@Nullable Object run(StringRedisTemplate redis) {
			return switch (this.kind) {
				case MGET -> redis.opsForValue().multiGet(this.keys);
				case SET -> {
					redis.opsForValue().set(this.keys.get(0), this.args.get(0),
							Duration.ofMillis(Long.parseLong(this.args.get(1))));
					yield "OK";
				}
				case UNLINK -> redis.unlink(this.keys);
				case PUBLISH -> redis.convertAndSend(this.keys.get(0), this.args.get(0));
				case SCRIPT -> redis.execute(java.util.Objects.requireNonNull(this.script), this.keys,
						this.args.toArray());
			};
		}

	}

}
