package io.redispatterns.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.jspecify.annotations.Nullable;

/**
 * Sends a {@link LuaScript} on a native Lettuce connection, for the paths that talk to Lettuce
 * directly (pipelined batches, the rate limiter's decision on the caller's thread, dedicated
 * connections). The same rules as {@link LuaScriptRunner}: {@code EVALSHA} first, {@code EVAL} when
 * the server answers {@code NOSCRIPT}; the reply type is the script's declared one. On Cluster,
 * Lettuce routes each call to the master owning its first key.
 * <p>
 * Kept apart from {@link LuaScriptRunner} so that applications on another client never load Lettuce
 * types.
 */
public final class LettuceScripts {

	private LettuceScripts() {
	}

	/**
	 * Sends {@code EVALSHA} without waiting. A {@link ScriptResult#LONG_ARRAY} script on a
	 * {@code byte[]} connection is read straight into a {@code long[]}; other replies are the raw
	 * Lettuce values, to be {@link ScriptResult#decode decoded}.
	 * @param <K> the connection's key type
	 * @param <V> the connection's value type
	 * @param commands the asynchronous commands of the connection
	 * @param script the script
	 * @param keys the keys
	 * @param args the arguments
	 * @return the pending reply; fails with {@link RedisNoScriptException} when the server does not
	 * know the script
	 */
	public static <K, V> RedisFuture<?> evalsha(RedisClusterAsyncCommands<K, V> commands, LuaScript<?> script,
			K[] keys, V[] args) {
		return send(commands, script, false, keys, args);
	}

	/**
	 * Sends {@code EVAL} (the full text, which also loads the script) without waiting.
	 * @param <K> the connection's key type
	 * @param <V> the connection's value type
	 * @param commands the asynchronous commands of the connection
	 * @param script the script
	 * @param keys the keys
	 * @param args the arguments
	 * @return the pending reply
	 * @see #evalsha
	 */
	public static <K, V> RedisFuture<?> eval(RedisClusterAsyncCommands<K, V> commands, LuaScript<?> script, K[] keys,
			V[] args) {
		return send(commands, script, true, keys, args);
	}

	/**
	 * Runs a script on a synchronous connection, blocking the caller: {@code EVALSHA}, then
	 * {@code EVAL} on {@code NOSCRIPT}.
	 * @param <K> the connection's key type
	 * @param <V> the connection's value type
	 * @param <T> the script's result type
	 * @param commands the synchronous commands of the connection
	 * @param script the script
	 * @param keys the keys
	 * @param args the arguments
	 * @return the decoded result
	 */
	@SafeVarargs
	public static <K, V, T> @Nullable T run(RedisClusterCommands<K, V> commands, LuaScript<T> script, K[] keys,
			V... args) {
		ScriptOutputType type = outputType(script.result());
		Object reply;
		try {
			reply = commands.evalsha(script.sha1(), type, keys, args);
		}
		catch (RedisNoScriptException ex) {
			reply = commands.eval(script.textBytes(), type, keys, args);
		}
		return script.result().decode(reply);
	}

	/**
	 * Returns the Lettuce output type of a declared result type.
	 * @param result the declared result type
	 * @return the output type
	 */
	public static ScriptOutputType outputType(ScriptResult<?> result) {
		return switch (result.returnType()) {
			case INTEGER -> ScriptOutputType.INTEGER;
			case BOOLEAN -> ScriptOutputType.BOOLEAN;
			case VALUE -> ScriptOutputType.VALUE;
			case STATUS -> ScriptOutputType.STATUS;
			case MULTI -> ScriptOutputType.MULTI;
		};
	}

	@SuppressWarnings("unchecked")
	private static <K, V> RedisFuture<?> send(RedisClusterAsyncCommands<K, V> commands, LuaScript<?> script,
			boolean eval, K[] keys, V[] args) {
		if (script.result() == ScriptResult.LONG_ARRAY && keys instanceof byte[][] keyBytes
				&& args instanceof byte[][] argBytes) {
			CommandArgs<byte[], byte[]> commandArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE);
			if (eval) {
				commandArgs.add(script.textBytes());
			}
			else {
				commandArgs.add(script.sha1());
			}
			commandArgs.add(keyBytes.length).addKeys(keyBytes).addValues(argBytes);
			return ((RedisClusterAsyncCommands<byte[], byte[]>) commands)
				.dispatch(eval ? CommandType.EVAL : CommandType.EVALSHA, new LongArrayOutput(), commandArgs);
		}
		ScriptOutputType type = outputType(script.result());
		return eval ? commands.eval(script.textBytes(), type, keys, args)
				: commands.evalsha(script.sha1(), type, keys, args);
	}

	/**
	 * Reads a table of integers (nested tables flattened) into a {@code long[]}: no boxed
	 * {@code Long} and no list per reply.
	 */
	private static final class LongArrayOutput extends CommandOutput<byte[], byte[], long[]> {

		private static final long[] EMPTY = new long[0];

		private long @Nullable [] values;

		private int size;

		LongArrayOutput() {
			super(ByteArrayCodec.INSTANCE, EMPTY);
		}

		@Override
		public void multi(int count) {
			if (this.values == null) {
				// the outer table's length: exact for a flat table, grown for nested ones
				this.values = new long[Math.max(count, 0)];
			}
		}

		@Override
		public void set(long integer) {
			long[] current = (this.values != null) ? this.values : new long[4];
			if (this.size == current.length) {
				current = Arrays.copyOf(current, Math.max(4, current.length * 2));
			}
			current[this.size++] = integer;
			this.values = current;
		}

		@Override
		public void set(@Nullable ByteBuffer bytes) {
			if (bytes != null) {
				setError("Expected an integer in the script's reply, got a bulk string");
			}
		}

		@Override
		public long[] get() {
			long[] current = this.values;
			if (current == null) {
				return EMPTY;
			}
			return (current.length == this.size) ? current : Arrays.copyOf(current, this.size);
		}

	}

}
