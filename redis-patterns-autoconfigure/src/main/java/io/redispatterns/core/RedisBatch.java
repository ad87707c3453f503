package io.redispatterns.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;
import org.springframework.data.redis.core.RedisConnectionUtils;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Commands sent together in one round trip per Redis node: the one way patterns pipeline. With
 * Lettuce they are written back-to-back on the application's shared connection and awaited together
 * (Spring Data Redis's own pipelines would open a dedicated connection per call); on Cluster, Lettuce
 * routes each command to the master owning its key and splits an {@code MGET} by slot, all written
 * before any reply is read. Scripts go as {@code EVALSHA}; when a server answers {@code NOSCRIPT}
 * (restart, failover, {@code SCRIPT FLUSH}) the whole batch is sent again with {@code EVAL}, so
 * every command of a batch that holds a script must be safe to run twice.
 * <p>
 * Other clients (or a connection bound to a transaction) run the commands one by one on one
 * connection. Failures are translated as Spring Data Redis translates Lettuce's exceptions, so
 * {@link RedisFailures} classifies them. Not thread-safe: build, execute, discard.
 */
public final class RedisBatch {

	private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

	private final RedisConnectionFactory connectionFactory;

	private final List<Command> commands = new ArrayList<>();

	/**
	 * Creates an empty batch.
	 * @param connectionFactory the application's connection factory
	 */
	public RedisBatch(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Adds an {@code MGET}.
	 * @param keys the keys
	 * @return the index of its result: a {@code List} of UTF-8 values, {@code null} for a missing key
	 */
	public int mget(List<String> keys) {
		return add(new Command(Kind.MGET, null, keys, List.of()));
	}

	/**
	 * Adds a {@code SET key value PX ttl}.
	 * @param key the key
	 * @param value the value
	 * @param ttlMillis the time to live
	 * @return the index of its result
	 */
	public int set(String key, String value, long ttlMillis) {
		return add(new Command(Kind.SET, null, List.of(key), List.of(value, Long.toString(ttlMillis))));
	}

	/**
	 * Adds an {@code UNLINK}.
	 * @param sameSlotKeys keys of one slot
	 * @return the index of its result (a {@code Long})
	 */
	public int unlink(List<String> sameSlotKeys) {
		return add(new Command(Kind.UNLINK, null, sameSlotKeys, List.of()));
	}

	/**
	 * Adds a {@code DEL} of one key.
	 * @param key the key
	 * @return the index of its result (a {@code Long})
	 */
	public int delete(String key) {
		return add(new Command(Kind.DEL, null, List.of(key), List.of()));
	}

	/**
	 * Adds a {@code PUBLISH}.
	 * @param channel the channel
	 * @param message the message
	 * @return the index of its result (a {@code Long})
	 */
	public int publish(String channel, String message) {
		return add(new Command(Kind.PUBLISH, null, List.of(channel), List.of(message)));
	}

	/**
	 * Adds an {@code HGETALL}.
	 * @param key the key
	 * @return the index of its result: a {@code Map} of raw {@code byte[]} fields and values
	 */
	public int hashGetAll(String key) {
		return add(new Command(Kind.HGETALL, null, List.of(key), List.of()));
	}

	/**
	 * Adds an {@code HMGET}.
	 * @param key the key
	 * @param fields the fields
	 * @return the index of its result: a {@code List} of raw values (Lettuce's {@code KeyValue}s or
	 * {@code byte[]}s, {@code null} or empty for a missing field)
	 */
	public int hashGet(String key, String... fields) {
		return add(new Command(Kind.HMGET, null, List.of(key), List.of(fields)));
	}

	/**
	 * Adds a {@code ZREM}.
	 * @param key the key
	 * @param members the members to remove
	 * @return the index of its result (a {@code Long})
	 */
	public int sortedSetRemove(String key, List<String> members) {
		return add(new Command(Kind.ZREM, null, List.of(key), members));
	}

	/**
	 * Adds a script.
	 * @param script the script
	 * @param keys its keys, of one slot
	 * @param args its arguments
	 * @return the index of its result, decoded as the script declares
	 */
	public int script(LuaScript<?> script, List<String> keys, List<String> args) {
		return add(new Command(Kind.SCRIPT, script, keys, args));
	}

	/**
	 * Whether no command was added.
	 * @return {@code true} when the batch is empty
	 */
	public boolean isEmpty() {
		return this.commands.isEmpty();
	}

	private int add(Command command) {
		this.commands.add(command);
		return this.commands.size() - 1;
	}

	/**
	 * Sends every command and waits for all replies, at most the client's command timeout.
	 * @return the result of each command, by the index its {@code add} method returned
	 * @throws DataAccessException the first failure (a {@code NOSCRIPT} after the retry with
	 * {@code EVAL} excepted), translated as Spring Data Redis does
	 */
	public List<@Nullable Object> execute() {
		if (this.commands.isEmpty()) {
			return List.of();
		}
		try {
			return send(false);
		}
		catch (RuntimeException ex) {
			if (!LuaScriptRunner.isNoScript(ex)) {
				throw ex;
			}
			return send(true);
		}
	}

	/**
	 * Sends commands whose replies nobody waits for: with Lettuce the caller returns as soon as they
	 * are written; a failure goes to {@code onFailure}. Other clients run them synchronously and
	 * report a failure the same way. Meant for commands without scripts (a {@code NOSCRIPT} is not
	 * retried).
	 * @param onFailure receives each failure, possibly on a client thread
	 */
	public void sendWithoutWaiting(Consumer<Throwable> onFailure) {
		if (this.commands.isEmpty()) {
			return;
		}
		try {
			RedisConnection connection = RedisConnectionUtils.getConnection(this.connectionFactory);
			try {
				RedisClusterAsyncCommands<byte[], byte[]> async = nativeCommands(connection);
				if (async != null) {
					for (Command command : this.commands) {
						command.send(async, false).whenComplete((result, failure) -> {
							if (failure != null) {
								onFailure.accept(failure);
							}
						});
					}
					return;
				}
				for (Command command : this.commands) {
					command.run(connection, false);
				}
			}
			finally {
				RedisConnectionUtils.releaseConnection(connection, this.connectionFactory);
			}
		}
		catch (RuntimeException ex) {
			onFailure.accept(ex);
		}
	}

	private List<@Nullable Object> send(boolean eval) {
		RedisConnection connection = RedisConnectionUtils.getConnection(this.connectionFactory);
		try {
			RedisClusterAsyncCommands<byte[], byte[]> async = nativeCommands(connection);
			if (async != null) {
				return sendAsync(async, eval, timeout());
			}
			List<@Nullable Object> results = new ArrayList<>(this.commands.size());
			for (Command command : this.commands) {
				results.add(command.run(connection, eval));
			}
			return results;
		}
		finally {
			RedisConnectionUtils.releaseConnection(connection, this.connectionFactory);
		}
	}

	private static @Nullable RedisClusterAsyncCommands<byte[], byte[]> nativeCommands(RedisConnection connection) {
		if (connection instanceof LettuceConnection lettuce && !lettuce.isPipelined() && !lettuce.isQueueing()) {
			return lettuce.getNativeConnection();
		}
		return null;
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
				if (failure == null || LuaScriptRunner.isNoScript(cause)) {
					failure = translate(cause);
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

	private static RuntimeException translate(Throwable cause) {
		DataAccessException translated = (cause instanceof Exception exception) ? EXCEPTIONS.convert(exception) : null;
		return (translated != null) ? translated
				: new RedisSystemException("Redis command failed: " + cause.getMessage(), cause);
	}

	private Duration timeout() {
		return (this.connectionFactory instanceof LettuceConnectionFactory lettuce)
				? lettuce.getClientConfiguration().getCommandTimeout() : Duration.ofMinutes(1);
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

		MGET, SET, UNLINK, DEL, PUBLISH, HGETALL, HMGET, ZREM, SCRIPT

	}

	private record Command(Kind kind, @Nullable LuaScript<?> script, List<String> keys, List<String> args) {

		RedisFuture<?> send(RedisClusterAsyncCommands<byte[], byte[]> async, boolean eval) {
			byte[] key = bytes(this.keys.get(0));
			return switch (this.kind) {
				case MGET -> async.mget(bytes(this.keys));
				case SET -> async.set(key, bytes(this.args.get(0)), SetArgs.Builder.px(Long.parseLong(this.args.get(1))));
				case UNLINK -> async.unlink(bytes(this.keys));
				case DEL -> async.del(key);
				case PUBLISH -> async.publish(key, bytes(this.args.get(0)));
				case HGETALL -> async.hgetall(key);
				case HMGET -> async.hmget(key, bytes(this.args));
				case ZREM -> async.zrem(key, bytes(this.args));
				case SCRIPT -> eval ? LettuceScripts.eval(async, requiredScript(), bytes(this.keys), bytes(this.args))
						: LettuceScripts.evalsha(async, requiredScript(), bytes(this.keys), bytes(this.args));
			};
		}

		@Nullable Object run(RedisConnection connection, boolean eval) {
			byte[] key = bytes(this.keys.get(0));
			return switch (this.kind) {
				case MGET -> strings(connection.stringCommands().mGet(bytes(this.keys)));
				case SET -> connection.stringCommands()
					.set(key, bytes(this.args.get(0)), Expiration.milliseconds(Long.parseLong(this.args.get(1))),
							org.springframework.data.redis.connection.RedisStringCommands.SetOption.upsert());
				case UNLINK -> connection.keyCommands().unlink(bytes(this.keys));
				case DEL -> connection.keyCommands().del(key);
				case PUBLISH -> connection.publish(key, bytes(this.args.get(0)));
				case HGETALL -> connection.hashCommands().hGetAll(key);
				case HMGET -> connection.hashCommands().hMGet(key, bytes(this.args));
				case ZREM -> connection.zSetCommands().zRem(key, bytes(this.args));
				case SCRIPT -> {
					byte[][] keysAndArgs = new byte[this.keys.size() + this.args.size()][];
					System.arraycopy(bytes(this.keys), 0, keysAndArgs, 0, this.keys.size());
					System.arraycopy(bytes(this.args), 0, keysAndArgs, this.keys.size(), this.args.size());
					yield eval ? runEval(connection, keysAndArgs) : LuaScriptRunner.run(connection, requiredScript(),
							this.keys.size(), keysAndArgs);
				}
			};
		}

		private @Nullable Object runEval(RedisConnection connection, byte[][] keysAndArgs) {
			LuaScript<?> script = requiredScript();
			Object reply = connection.scriptingCommands()
				.eval(script.textBytes(), script.result().returnType(), this.keys.size(), keysAndArgs);
			return script.result().decode(reply);
		}

		private LuaScript<?> requiredScript() {
			return java.util.Objects.requireNonNull(this.script);
		}

		@Nullable Object convert(@Nullable Object reply) {
			if (this.kind == Kind.SCRIPT) {
				return requiredScript().result().decode(reply);
			}
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

		private static @Nullable List<@Nullable String> strings(@Nullable List<byte[]> values) {
			if (values == null) {
				return null;
			}
			List<@Nullable String> strings = new ArrayList<>(values.size());
			for (byte[] value : values) {
				strings.add((value != null) ? new String(value, StandardCharsets.UTF_8) : null);
			}
			return strings;
		}

	}

}
