package io.redispatterns.core;

import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.ExceptionTranslationStrategy;
import org.springframework.data.redis.FallbackExceptionTranslationStrategy;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;

/**
 * Sends {@link LuaScriptRunner}'s scripts from the caller's thread straight on the native connection a
 * {@link LettuceConnectionFactory} shares (Spring Boot's default), through {@link LettuceScripts}. What it
 * saves per call is the {@code LettuceConnection} (and its lookups, lock and release) that
 * {@link org.springframework.data.redis.core.RedisConnectionUtils} creates for every script. It does what that
 * connection does with a command and nothing else: it waits at most the factory's timeout and cancels the
 * command when the wait ends ({@link LettuceFutures#awaitOrCancel}), and translates a failure with Spring Data
 * Redis's own Lettuce translation, so that callers see the same exceptions (and {@link RedisFailures} the same
 * causes) as on the factory's connections. Loaded only when Lettuce is on the class path.
 */
final class SharedLettuceConnection {

	/** What {@code LettuceConnection} translates its failures with. */
	private static final ExceptionTranslationStrategy TRANSLATION = new FallbackExceptionTranslationStrategy(
			new LettuceExceptionConverter());

	/** Returned by {@link #run} when the script was not sent and must go through the factory's connection. */
	static final Object NOT_SENT = new Object();

	private final LettuceConnectionFactory connectionFactory;

	private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;

	/** Whether the factory's native connection turned out not to be a Lettuce connection this class can use. */
	private volatile boolean unusable;

	private SharedLettuceConnection(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Returns the shared connection of a factory, if it has one that can be used this way.
	 * @param connectionFactory the factory
	 * @return the connection, or {@code null} for another client, a factory without a shared connection, or one
	 * that validates its connection on every use (only the factory's own path does that)
	 */
	static @Nullable SharedLettuceConnection of(RedisConnectionFactory connectionFactory) {
		return (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.getShareNativeConnection()
				&& !lettuce.getValidateConnection()) ? new SharedLettuceConnection(lettuce) : null;
	}

	/**
	 * Returns the factory this connection belongs to.
	 * @return the factory
	 */
	RedisConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * Runs a script: {@code EVALSHA}, then {@code EVAL} on {@code NOSCRIPT}.
	 * @param script the script
	 * @param keys the keys
	 * @param args the arguments
	 * @return the raw reply, or {@link #NOT_SENT} when the factory closed or replaced its connection (refused
	 * before writing: nothing was sent)
	 * @throws DataAccessException as the factory's connection would throw it
	 */
	@Nullable Object run(LuaScript<?> script, byte[][] keys, byte[][] args) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.commands;
		if (commands == null) {
			if (this.unusable) {
				return NOT_SENT;
			}
			commands = capture();
			if (commands == null) {
				return NOT_SENT;
			}
		}
		long timeout = this.connectionFactory.getTimeout();
		try {
			try {
				return LettuceFutures.awaitOrCancel(LettuceScripts.evalsha(commands, script, keys, args), timeout,
						TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException ex) {
				if (!LuaScriptRunner.isNoScript(ex)) {
					throw ex;
				}
				return LettuceFutures.awaitOrCancel(LettuceScripts.eval(commands, script, keys, args), timeout,
						TimeUnit.MILLISECONDS);
			}
		}
		catch (RuntimeException ex) {
			if (isClosedConnection(ex)) {
				// the factory closed (stopped, reset) the connection: look it up again through the factory
				this.commands = null;
				return NOT_SENT;
			}
			DataAccessException translated = TRANSLATION.translate(ex);
			throw (translated != null) ? translated : ex;
		}
	}

	/**
	 * Finds the shared connection through the factory, which opens it when needed (blocking up to the connect
	 * timeout; a failure is thrown as the factory throws it, as for any call through the factory).
	 */
	@SuppressWarnings("unchecked")
	private @Nullable RedisClusterAsyncCommands<byte[], byte[]> capture() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			if (connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> async) {
				RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) async;
				this.commands = commands;
				return commands;
			}
			this.unusable = true;
			return null;
		}
	}

	/** Lettuce refusing a command before writing it, on a connection that was closed. */
	private static boolean isClosedConnection(RuntimeException ex) {
		return ex.getClass() == RedisException.class && "Connection is closed".equals(ex.getMessage());
	}

}
