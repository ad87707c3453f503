package io.redispatterns.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisConnectionUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Runs {@link LuaScript}s: the one way every pattern runs a script. Sends {@code EVALSHA} with the
 * script's precomputed SHA and, when the server answers {@code NOSCRIPT} (a restart, a failover to a
 * replica that never saw the script, {@code SCRIPT FLUSH}), {@code EVAL} with its text, which also
 * loads it. The reply is decoded as the script's declared {@link ScriptResult}.
 * <p>
 * Goes through Spring Data Redis's connection, so it works on Standalone, Sentinel and Cluster (a
 * Cluster call goes to the master owning the first key; a script's keys share a hash tag) and
 * failures are translated as for any other Spring Data Redis call
 * ({@link org.springframework.dao.DataAccessException}s that {@link RedisFailures} classifies).
 * {@link #run} blocks on the caller's thread for at most the client's command timeout;
 * {@link #runReactive} never blocks. Native Lettuce paths use {@link LettuceScripts}. A runner made by
 * {@link #onSharedConnection} sends from the caller's thread on Lettuce's shared native connection instead
 * of taking a connection from the factory per call.
 */
public final class LuaScriptRunner {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			LuaScriptRunner.class.getClassLoader());

	private final Supplier<RedisConnectionFactory> connectionFactory;

	private final boolean onSharedConnection;

	/** The shared connection of the factory last seen, when {@link #onSharedConnection} and usable. */
	private volatile @Nullable SharedLettuceConnection sharedConnection;

	/**
	 * Creates a runner.
	 * @param connectionFactory the application's connection factory
	 */
	public LuaScriptRunner(RedisConnectionFactory connectionFactory) {
		this(() -> connectionFactory, false);
	}

	/**
	 * Creates a runner that asks for the connection factory on every call, such as
	 * {@code template::getRequiredConnectionFactory} of a template whose factory may be set later.
	 * @param connectionFactory supplies the connection factory
	 */
	public LuaScriptRunner(Supplier<RedisConnectionFactory> connectionFactory) {
		this(connectionFactory, false);
	}

	private LuaScriptRunner(Supplier<RedisConnectionFactory> connectionFactory, boolean onSharedConnection) {
		this.connectionFactory = connectionFactory;
		this.onSharedConnection = onSharedConnection && LETTUCE_PRESENT;
	}

	/**
	 * Creates a runner for a hot path that, when the factory is a {@code LettuceConnectionFactory} sharing its
	 * native connection (Spring Boot's default), sends each script from the caller's thread on that connection
	 * through {@link LettuceScripts}, without the {@link RedisConnection} that
	 * {@link RedisConnectionUtils#getConnection} creates, looks up and releases per call. Everything a caller can
	 * observe stays as on the factory's connections: the first call opens the shared connection through the
	 * factory (its failure thrown as the factory throws it), a call waits at most the factory's command timeout
	 * and cancels its command when the wait ends, and failures are translated by Spring Data Redis's own Lettuce
	 * translation (the same {@link org.springframework.dao.DataAccessException}s, so {@link RedisFailures}
	 * classifies them alike). A call goes the factory's way when a connection is bound to the thread (a Redis
	 * transaction or pipeline of the application), when the factory validates its connection on every use,
	 * when the factory closed or replaced its shared connection (then the next call looks it up again), and with
	 * other clients.
	 * @param connectionFactory supplies the connection factory, such as
	 * {@code template::getRequiredConnectionFactory}
	 * @return the runner
	 */
	public static LuaScriptRunner onSharedConnection(Supplier<RedisConnectionFactory> connectionFactory) {
		return new LuaScriptRunner(connectionFactory, true);
	}

	/**
	 * Runs a script and waits for its result.
	 * @param <T> the script's result type
	 * @param script the script
	 * @param keys the keys it touches (one hash tag on Cluster)
	 * @param args the arguments: {@code byte[]} as is, anything else as its UTF-8 {@code toString}
	 * @return the decoded result, {@code null} for a {@code nil} reply
	 * @throws org.springframework.dao.DataAccessException when Redis fails
	 */
	public <T> @Nullable T run(LuaScript<T> script, List<String> keys, Object... args) {
		return run(script, keys, List.of(args));
	}

	/**
	 * Runs a script and waits for its result.
	 * @param <T> the script's result type
	 * @param script the script
	 * @param keys the keys it touches (one hash tag on Cluster)
	 * @param args the arguments: {@code byte[]} as is, anything else as its UTF-8 {@code toString}
	 * @return the decoded result, {@code null} for a {@code nil} reply
	 * @throws org.springframework.dao.DataAccessException when Redis fails
	 */
	public <T> @Nullable T run(LuaScript<T> script, List<String> keys, List<?> args) {
		return run(script, encodeAll(keys), encodeAll(args));
	}

	/**
	 * Runs a script whose keys and arguments the caller encoded (for instance once, for arguments that never
	 * change), and waits for its result.
	 * @param <T> the script's result type
	 * @param script the script
	 * @param keys the keys, UTF-8 (one hash tag on Cluster)
	 * @param args the arguments
	 * @return the decoded result, {@code null} for a {@code nil} reply
	 * @throws org.springframework.dao.DataAccessException when Redis fails
	 */
	public <T> @Nullable T run(LuaScript<T> script, byte[][] keys, byte[][] args) {
		RedisConnectionFactory factory = this.connectionFactory.get();
		SharedLettuceConnection shared = sharedConnection(factory);
		if (shared != null) {
			Object reply = shared.run(script, keys, args);
			if (reply != SharedLettuceConnection.NOT_SENT) {
				return script.result().decode(reply);
			}
		}
		byte[][] keysAndArgs = new byte[keys.length + args.length][];
		System.arraycopy(keys, 0, keysAndArgs, 0, keys.length);
		System.arraycopy(args, 0, keysAndArgs, keys.length, args.length);
		RedisConnection connection = RedisConnectionUtils.getConnection(factory);
		try {
			return run(connection, script, keys.length, keysAndArgs);
		}
		finally {
			RedisConnectionUtils.releaseConnection(connection, factory);
		}
	}

	private @Nullable SharedLettuceConnection sharedConnection(RedisConnectionFactory factory) {
		// a connection the application bound to this thread (MULTI, pipeline) is used as RedisConnectionUtils does
		if (!this.onSharedConnection || TransactionSynchronizationManager.getResource(factory) != null) {
			return null;
		}
		SharedLettuceConnection shared = this.sharedConnection;
		if (shared == null || shared.connectionFactory() != factory) {
			shared = SharedLettuceConnection.of(factory);
			this.sharedConnection = shared;
		}
		return shared;
	}

	/**
	 * Runs a script on a connection the caller holds.
	 * @param <T> the script's result type
	 * @param connection the connection
	 * @param script the script
	 * @param keyCount how many of {@code keysAndArgs} are keys
	 * @param keysAndArgs the keys, then the arguments
	 * @return the decoded result
	 */
	public static <T> @Nullable T run(RedisConnection connection, LuaScript<T> script, int keyCount,
			byte[]... keysAndArgs) {
		ReturnType type = script.result().returnType();
		Object reply;
		try {
			reply = connection.scriptingCommands().evalSha(script.sha1(), type, keyCount, keysAndArgs);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			reply = connection.scriptingCommands().eval(script.textBytes(), type, keyCount, keysAndArgs);
		}
		return script.result().decode(reply);
	}

	/**
	 * Runs a script without blocking, on the reactive connection of the factory.
	 * @param <T> the script's result type
	 * @param script the script
	 * @param keys the keys it touches
	 * @param args the arguments, as for {@link #run(LuaScript, List, List)}
	 * @return the decoded result; empty for a {@code nil} reply
	 * @throws IllegalStateException when the connection factory is not reactive
	 */
	public <T> Mono<T> runReactive(LuaScript<T> script, List<String> keys, List<?> args) {
		RedisConnectionFactory factory = this.connectionFactory.get();
		if (!(factory instanceof ReactiveRedisConnectionFactory reactive)) {
			throw new IllegalStateException(
					"Running scripts reactively needs a reactive connection factory (Lettuce), not "
							+ factory.getClass().getName());
		}
		byte[][] keysAndArgs = keysAndArgs(keys, args);
		int keyCount = keys.size();
		ReturnType type = script.result().returnType();
		return Mono.usingWhen(Mono.fromSupplier(reactive::getReactiveConnection), (connection) -> {
			Flux<Object> replies = connection.scriptingCommands()
				.<Object>evalSha(script.sha1(), type, keyCount, buffers(keysAndArgs))
				.onErrorResume(LuaScriptRunner::isNoScript, (ex) -> connection.scriptingCommands()
					.eval(ByteBuffer.wrap(script.textBytes()), type, keyCount, buffers(keysAndArgs)));
			// one element, a table reply as one list
			return replies.next().map(LuaScriptRunner::bytes).mapNotNull((value) -> script.result().decode(value));
		}, ReactiveRedisConnection::closeLater);
	}

	/**
	 * Whether a failure (or one of its causes) is the server's {@code NOSCRIPT} answer.
	 * @param failure the failure
	 * @return {@code true} when the script must be sent with {@code EVAL}
	 */
	public static boolean isNoScript(@Nullable Throwable failure) {
		for (Throwable current = failure; current != null; current = (current.getCause() != current)
				? current.getCause() : null) {
			String message = current.getMessage();
			if (message != null && message.contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Encodes a script argument as {@link #run(LuaScript, List, List)} does.
	 * @param arg the argument
	 * @return its bytes
	 */
	public static byte[] encode(Object arg) {
		return (arg instanceof byte[] bytes) ? bytes : arg.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Encodes script arguments as {@link #run(LuaScript, List, List)} does.
	 * @param args the arguments
	 * @return their bytes, in order
	 */
	public static byte[][] encodeAll(List<?> args) {
		byte[][] bytes = new byte[args.size()][];
		int i = 0;
		for (Object arg : args) {
			bytes[i++] = encode(arg);
		}
		return bytes;
	}

	private static byte[][] keysAndArgs(List<String> keys, List<?> args) {
		byte[][] keysAndArgs = new byte[keys.size() + args.size()][];
		int i = 0;
		for (String key : keys) {
			keysAndArgs[i++] = key.getBytes(StandardCharsets.UTF_8);
		}
		for (Object arg : args) {
			keysAndArgs[i++] = encode(arg);
		}
		return keysAndArgs;
	}

	private static ByteBuffer[] buffers(byte[][] values) {
		ByteBuffer[] buffers = new ByteBuffer[values.length];
		for (int i = 0; i < values.length; i++) {
			buffers[i] = ByteBuffer.wrap(values[i]);
		}
		return buffers;
	}

	private static Object bytes(Object value) {
		if (value instanceof ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.duplicate().get(bytes);
			return bytes;
		}
		if (value instanceof List<?> list) {
			return list.stream().map(LuaScriptRunner::bytes).toList();
		}
		return value;
	}

}
