package io.redispatterns.ratelimit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redispatterns.core.LettuceScripts;
import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Carries a rate-limit decision to Redis and back within the limiter's timeout. It does not run
 * scripts its own way: the script is sent by core's {@link LettuceScripts} ({@code EVALSHA}, then
 * {@code EVAL} on {@code NOSCRIPT}) or {@link LuaScriptRunner}; what this class adds is the bounded
 * wait (the caller never waits past the timeout, a command still queued when it gives up is
 * cancelled) and which thread sends, with the outcome reported to the circuit breakers.
 * <p>
 * With Lettuce sharing its native connection (Spring Boot's default), a decision is sent from the
 * caller's thread on that connection and the caller parks on the command's future for at most the
 * timeout: no thread hand-off, no timer per call (Lettuce's own command timeout,
 * {@code spring.data.redis.timeout}, still applies when it is shorter). Opening that connection
 * blocks (Spring Data Redis does it synchronously, under a lock; an unreachable host waits the
 * connect timeout), so until the connection is known to be open, and again after it was closed,
 * calls are subscribed on a bounded-elastic scheduler of the limiter's own: the request thread
 * stops waiting at the timeout even while the connection is still being established. That
 * scheduler is not Reactor's shared {@link Schedulers#boundedElastic()}: workers stuck in a connect
 * must not starve the application's other reactive work. Other clients are called synchronously
 * and are bounded by their connect and command timeouts only.
 */
abstract class DecisionTransport {

	/**
	 * Where the outcome of a script call goes: exactly one of the methods is called, possibly
	 * from another thread.
	 */
	interface Outcome {

		/** Redis answered. */
		void succeeded();

		/**
		 * The call failed.
		 * @param failure the failure
		 */
		void failed(Throwable failure);

		/**
		 * The caller stopped waiting at its own timeout; the call was cancelled.
		 * @param sent whether the command had been handed to the client (else it still waited for a
		 * local thread: the application is busy, not Redis)
		 */
		void timedOut(boolean sent);

	}

	/**
	 * Runs a decision script.
	 * @param script the script
	 * @param keys the keys, UTF-8
	 * @param args the arguments, UTF-8
	 * @param timeout the longest the caller waits
	 * @param outcome where the outcome goes
	 * @return the script's integers
	 * @throws TimeoutException when the caller stopped waiting
	 */
	abstract long[] run(LuaScript<long[]> script, byte[][] keys, byte[][] args, Duration timeout, Outcome outcome)
			throws TimeoutException;

	/** Opens the connection and loads the script without waiting; failures are ignored. */
	void preload(LuaScript<long[]> script) {
	}

	/**
	 * Whether calls are sent from the caller's thread without a hand-off.
	 * @return {@code true} once the runner sends directly
	 */
	boolean sendsDirectly() {
		return false;
	}

	/** Releases the runner's threads. */
	void close() {
	}

	static DecisionTransport of(RedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.getShareNativeConnection()) {
			return new DirectLettuce(lettuce, new Reactive(new LuaScriptRunner(lettuce)));
		}
		if (connectionFactory instanceof ReactiveRedisConnectionFactory) {
			return new Reactive(new LuaScriptRunner(connectionFactory));
		}
		LuaScriptRunner scripts = new LuaScriptRunner(connectionFactory);
		return new DecisionTransport() {
			@Override
			long[] run(LuaScript<long[]> script, byte[][] keys, byte[][] args, Duration timeout, Outcome outcome) {
				long[] result;
				try {
					result = scripts.run(script, strings(keys), List.of((Object[]) args));
				}
				catch (RuntimeException ex) {
					outcome.failed(ex);
					throw ex;
				}
				outcome.succeeded();
				return (result != null) ? result : new long[0];
			}
		};
	}

	/**
	 * Returns a script's integers as a list.
	 * @param values the integers
	 * @return them boxed, in order
	 */
	static List<Long> toLongs(long @Nullable [] values) {
		List<Long> longs = new ArrayList<>((values != null) ? values.length : 0);
		if (values != null) {
			for (long value : values) {
				longs.add(value);
			}
		}
		return longs;
	}

	private static List<String> strings(byte[][] values) {
		List<String> strings = new ArrayList<>(values.length);
		for (byte[] value : values) {
			strings.add(new String(value, StandardCharsets.UTF_8));
		}
		return strings;
	}

	/**
	 * Sends the script straight on Lettuce's shared connection from the caller's thread and parks
	 * that thread on the command's future for at most the timeout, cancelling the command when the
	 * wait ends (a cancelled command still queued in Lettuce is never written). No scheduler hop and
	 * no timer per call: that hop was most of a decision's client-side cost. Only once the shared
	 * connection is known to exist: opening it blocks (an unreachable host for the whole connect
	 * timeout), so until a call through the {@link Reactive} runner has succeeded, decisions go
	 * through that runner, which bounds even a hanging connect by the timeout. After a failure that
	 * may mean the connection was replaced (closed, reset), the runner goes back to that path until
	 * it has seen the connection work again.
	 */
	private static final class DirectLettuce extends DecisionTransport {

		private final LettuceConnectionFactory connectionFactory;

		private final Reactive untilConnected;

		private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;

		DirectLettuce(LettuceConnectionFactory connectionFactory, Reactive untilConnected) {
			this.connectionFactory = connectionFactory;
			this.untilConnected = untilConnected;
		}

		@Override
		void preload(LuaScript<long[]> script) {
			this.untilConnected.preload(script, this::captureConnection);
		}

		@Override
		void close() {
			this.untilConnected.close();
		}

		@Override
		long[] run(LuaScript<long[]> script, byte[][] keys, byte[][] args, Duration timeout, Outcome outcome)
				throws TimeoutException {
			RedisClusterAsyncCommands<byte[], byte[]> commands = this.commands;
			if (commands == null) {
				long[] result = this.untilConnected.run(script, keys, args, timeout, outcome);
				this.untilConnected.schedule(this::captureConnection);
				return result;
			}
			long deadline = System.nanoTime() + timeout.toNanos();
			Object result;
			try {
				try {
					result = await(LettuceScripts.evalsha(commands, script, keys, args), deadline);
				}
				catch (RedisNoScriptException ex) {
					result = await(LettuceScripts.eval(commands, script, keys, args), deadline);
				}
			}
			catch (TimeoutException ex) {
				outcome.timedOut(true);
				throw ex;
			}
			catch (RuntimeException ex) {
				if (!(ex instanceof RedisCommandExecutionException)) {
					// the connection may have been closed or replaced: find it again off this thread
					this.commands = null;
				}
				if (isClosedConnection(ex)) {
					// refused before writing (the factory closed or reset its shared connection):
					// nothing was sent, so the call may go again on the path that opens a connection
					return run(script, keys, args, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
							outcome);
				}
				outcome.failed(ex);
				throw ex;
			}
			outcome.succeeded();
			long[] longs = script.result().decode(result);
			return (longs != null) ? longs : new long[0];
		}

		@Override
		boolean sendsDirectly() {
			return this.commands != null;
		}

		private static boolean isClosedConnection(RuntimeException ex) {
			return ex.getClass() == RedisException.class && "Connection is closed".equals(ex.getMessage());
		}

		/** Runs on the runner's own thread after a call succeeded: the shared connection exists. */
		private void captureConnection() {
			if (this.commands != null) {
				return;
			}
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				Object nativeConnection = connection.getNativeConnection();
				if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> async) {
					this.commands = (RedisClusterAsyncCommands<byte[], byte[]>) async;
				}
			}
			catch (RuntimeException ex) {
				// stays on the bounded path; the next successful call tries again
			}
		}

		private static Object await(RedisFuture<?> future, long deadline) throws TimeoutException {
			try {
				return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				future.cancel(false);
				throw ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				future.cancel(false);
				throw new CancellationException("Interrupted while waiting for the rate-limit decision");
			}
			catch (ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				if (cause instanceof RuntimeException runtime) {
					throw runtime;
				}
				if (cause instanceof Error error) {
					throw error;
				}
				throw new IllegalStateException(cause);
			}
		}

	}

	private static final class Reactive extends DecisionTransport {

		private final LuaScriptRunner scripts;

		private final Scheduler scheduler = Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
				Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, "redis-patterns-rate-limit", 60, true);

		Reactive(LuaScriptRunner scripts) {
			this.scripts = scripts;
		}

		@Override
		void close() {
			this.scheduler.dispose();
		}

		@Override
		void preload(LuaScript<long[]> script) {
			preload(script, () -> {
			});
		}

		void preload(LuaScript<long[]> script, Runnable onSuccess) {
			// no keys: the script only reads TIME; EVALSHA fails with NOSCRIPT once, then EVAL loads it
			// onSuccess may block: hand it back to the scheduler, never run it on Lettuce's event loop
			this.scripts.runReactive(script, List.of(), List.of()).subscribeOn(this.scheduler).subscribe((result) -> {
			}, (error) -> {
			}, () -> schedule(onSuccess));
		}

		void schedule(Runnable task) {
			try {
				this.scheduler.schedule(task);
			}
			catch (RuntimeException ex) {
				// disposed while the context closes
			}
		}

		/**
		 * Waits at most {@code timeout}, then cancels the call (so that a command still queued in
		 * the client is never sent later, charging a decision that was already answered) and
		 * reports whether it had been handed to the client.
		 */
		@Override
		long[] run(LuaScript<long[]> script, byte[][] keys, byte[][] args, Duration timeout, Outcome outcome)
				throws TimeoutException {
			AtomicBoolean sent = new AtomicBoolean();
			AtomicBoolean reported = new AtomicBoolean();
			List<String> keyList = strings(keys);
			List<Object> argList = List.of((Object[]) args);
			CompletableFuture<long[]> future = Mono.defer(() -> {
				// the scheduler's thread took the call: from here on it is Redis (connect, reply) that decides
				sent.set(true);
				return this.scripts.runReactive(script, keyList, argList);
			}).subscribeOn(this.scheduler).toFuture();
			future.whenComplete((result, failure) -> {
				if (failure == null && reported.compareAndSet(false, true)) {
					outcome.succeeded();
				}
				else if (failure != null && !(failure instanceof CancellationException)
						&& reported.compareAndSet(false, true)) {
					outcome.failed(unwrap(failure));
				}
			});
			try {
				long[] result = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
				return (result != null) ? result : new long[0];
			}
			catch (TimeoutException ex) {
				future.cancel(false);
				if (reported.compareAndSet(false, true)) {
					outcome.timedOut(sent.get());
				}
				throw ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				future.cancel(false);
				CancellationException interrupted = new CancellationException(
						"Interrupted while waiting for the rate-limit decision");
				if (reported.compareAndSet(false, true)) {
					outcome.failed(interrupted);
				}
				throw interrupted;
			}
			catch (ExecutionException ex) {
				Throwable cause = unwrap(ex);
				if (cause instanceof RuntimeException runtime) {
					throw runtime;
				}
				if (cause instanceof Error error) {
					throw error;
				}
				throw new IllegalStateException(cause);
			}
		}

		private static Throwable unwrap(Throwable failure) {
			Throwable current = failure;
			while ((current instanceof ExecutionException || current instanceof CompletionException)
					&& current.getCause() != null) {
				current = current.getCause();
			}
			return Exceptions.unwrap(current);
		}

	}

}
