package io.redispatterns.session.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisPipelineException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisConnectionUtils;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Commands sent together in one round trip, also on Cluster. With Lettuce they are written
 * back-to-back on the application's shared connection and awaited together (Lettuce routes each to
 * the node owning its key); Spring Data Redis's own pipelines would open a dedicated connection for
 * every call. Other clients fall back to {@code executePipelined}. Scripts go as {@code EVALSHA};
 * when a server answers {@code NOSCRIPT} (restart, failover, {@code SCRIPT FLUSH}) the batch is sent
 * again with {@code EVAL}, which is safe because every command in it is idempotent.
 */
final class SessionBatch {

	private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

	private final StringRedisTemplate redis;

	private final List<Command> commands = new ArrayList<>();

	SessionBatch(StringRedisTemplate redis) {
		this.redis = redis;
	}

	int delete(String key) {
		return add(new Command(Kind.DEL, null, null, List.of(key), List.of()));
	}

	int hashGetAll(String key) {
		return add(new Command(Kind.HGETALL, null, null, List.of(key), List.of()));
	}

	int hashGet(String key, String... fields) {
		return add(new Command(Kind.HMGET, null, null, List.of(key), List.of(fields)));
	}

	int sortedSetRemove(String key, List<String> members) {
		return add(new Command(Kind.ZREM, null, null, List.of(key), members));
	}

	int script(RedisScript<?> script, ReturnType type, List<String> keys, List<String> args) {
		return add(new Command(Kind.SCRIPT, script, type, keys, args));
	}

	private int add(Command command) {
		this.commands.add(command);
		return this.commands.size() - 1;
	}

	/** Sends the commands and waits for every reply (in the order the commands were added). */
	List<Object> execute() {
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

	/**
	 * Sends commands that need no script and whose replies nobody waits for: with Lettuce the
	 * caller returns as soon as they are written; a failure goes to {@code onFailure}. Other clients
	 * run them synchronously and report a failure the same way.
	 */
	void sendWithoutWaiting(Consumer<Throwable> onFailure) {
		if (this.commands.isEmpty()) {
			return;
		}
		try {
			RedisConnectionFactory factory = this.redis.getRequiredConnectionFactory();
			RedisConnection connection = RedisConnectionUtils.getConnection(factory);
			try {
				if (connection instanceof LettuceConnection lettuce && !lettuce.isPipelined() && !lettuce.isQueueing()) {
					for (Command command : this.commands) {
						command.send(lettuce.getNativeConnection(), false).whenComplete((result, failure) -> {
							if (failure != null) {
								onFailure.accept(failure);
							}
						});
					}
					return;
				}
			}
			finally {
				RedisConnectionUtils.releaseConnection(connection, factory);
			}
			execute();
		}
		catch (RuntimeException ex) {
			onFailure.accept(ex);
		}
	}

	// NullAway: a RedisCallback may return null (Spring Data Redis declares <T extends @Nullable Object>), which
	// NullAway sees only in JSpecify mode, not available on JDK 17 (CONTRIBUTING.md, "Checks")
	@SuppressWarnings("NullAway")
	private List<Object> send(boolean eval) {
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
		return this.redis.executePipelined((RedisCallback<Object>) (pipelined) -> {
			for (Command command : this.commands) {
				command.send(pipelined, eval);
			}
			return null;
		});
	}

	private List<Object> sendAsync(RedisClusterAsyncCommands<byte[], byte[]> async, boolean eval, Duration timeout) {
		List<RedisFuture<?>> futures = new ArrayList<>(this.commands.size());
		for (Command command : this.commands) {
			futures.add(command.send(async, eval));
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		List<Object> results = new ArrayList<>(futures.size());
		for (RedisFuture<?> future : futures) {
			try {
				results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RedisSystemException("Interrupted while waiting for Redis", ex);
			}
			catch (ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				DataAccessException translated = (cause instanceof Exception exception) ? EXCEPTIONS.convert(exception)
						: null;
				throw (translated != null) ? translated
						: new RedisSystemException("Redis command failed: " + cause.getMessage(), cause);
			}
			catch (TimeoutException ex) {
				throw new QueryTimeoutException("Redis did not answer within " + timeout, ex);
			}
		}
		return results;
	}

	private static Duration timeout(RedisConnectionFactory factory) {
		return (factory instanceof LettuceConnectionFactory lettuce)
				? lettuce.getClientConfiguration().getCommandTimeout() : Duration.ofMinutes(1);
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
				return true;
			}
			if (t instanceof RedisPipelineException pipelineException) {
				for (Object result : pipelineException.getPipelineResult()) {
					if (result instanceof Throwable failure && failure.getMessage() != null
							&& failure.getMessage().contains("NOSCRIPT")) {
						return true;
					}
				}
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

		DEL, HGETALL, HMGET, ZREM, SCRIPT

	}

	private record Command(Kind kind, @Nullable RedisScript<?> script, @Nullable ReturnType type, List<String> keys,
			List<String> args) {

		void send(RedisConnection connection, boolean eval) {
			byte[] key = bytes(this.keys.get(0));
			switch (this.kind) {
				case DEL -> connection.keyCommands().del(key);
				case HGETALL -> connection.hashCommands().hGetAll(key);
				case HMGET -> connection.hashCommands().hMGet(key, bytes(this.args));
				case ZREM -> connection.zSetCommands().zRem(key, bytes(this.args));
				case SCRIPT -> {
					int keyCount = this.keys.size();
					byte[][] keysAndArgs = new byte[this.args.size() + keyCount][];
					System.arraycopy(bytes(this.keys), 0, keysAndArgs, 0, keyCount);
					System.arraycopy(bytes(this.args), 0, keysAndArgs, keyCount, this.args.size());
					RedisScript<?> redisScript = Objects.requireNonNull(this.script);
					ReturnType returnType = Objects.requireNonNull(this.type);
					if (eval) {
						connection.scriptingCommands()
							.eval(bytes(redisScript.getScriptAsString()), returnType, keyCount, keysAndArgs);
					}
					else {
						connection.scriptingCommands().evalSha(redisScript.getSha1(), returnType, keyCount, keysAndArgs);
					}
				}
			}
		}

		RedisFuture<?> send(RedisClusterAsyncCommands<byte[], byte[]> async, boolean eval) {
			byte[] key = bytes(this.keys.get(0));
			return switch (this.kind) {
				case DEL -> async.del(key);
				case HGETALL -> async.hgetall(key);
				case HMGET -> async.hmget(key, bytes(this.args));
				case ZREM -> async.zrem(key, bytes(this.args));
				case SCRIPT -> {
					RedisScript<?> redisScript = Objects.requireNonNull(this.script);
					ScriptOutputType output = switch (Objects.requireNonNull(this.type)) {
						case MULTI -> ScriptOutputType.MULTI;
						case VALUE -> ScriptOutputType.VALUE;
						default -> ScriptOutputType.INTEGER;
					};
					byte[][] keys = bytes(this.keys);
					byte[][] values = bytes(this.args);
					yield eval ? async.eval(redisScript.getScriptAsString(), output, keys, values)
							: async.evalsha(redisScript.getSha1(), output, keys, values);
				}
			};
		}

	}

}
