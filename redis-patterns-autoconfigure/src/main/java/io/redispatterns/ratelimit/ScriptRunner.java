package io.redispatterns.ratelimit;

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

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a decision script (EVALSHA, EVAL on NOSCRIPT) and waits at most the limiter's timeout.
 * With Lettuce the call is subscribed on a bounded-elastic scheduler of the limiter's own, so
 * that everything that may block, including opening the shared connection (which Spring Data
 * Redis does synchronously, under a lock, when the first command is subscribed), runs off the
 * request thread: the request thread stops waiting at the timeout even while the connection is
 * still being established (an unreachable host waits the connect timeout) or Lettuce's own
 * command timeout ({@code spring.data.redis.timeout}) is longer. The scheduler is not Reactor's
 * shared {@link Schedulers#boundedElastic()}: workers stuck in a connect must not starve the
 * application's other reactive work. Other clients are called synchronously and are bounded by
 * their connect and command timeouts only.
 */
abstract class ScriptRunner {

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

	abstract List<Long> run(RedisScript<List> script, List<String> keys, List<String> args, Duration timeout,
			Outcome outcome) throws TimeoutException;

	/** Opens the connection and loads the script without waiting; failures are ignored. */
	void preload(RedisScript<List> script) {
	}

	/** Releases the runner's threads. */
	void close() {
	}

	static ScriptRunner of(RedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof ReactiveRedisConnectionFactory reactive) {
			return new Reactive(new ReactiveStringRedisTemplate(reactive));
		}
		StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
		return new ScriptRunner() {
			@Override
			List<Long> run(RedisScript<List> script, List<String> keys, List<String> args, Duration timeout,
					Outcome outcome) {
				List<?> result;
				try {
					result = template.execute(script, keys, args.toArray());
				}
				catch (RuntimeException ex) {
					outcome.failed(ex);
					throw ex;
				}
				outcome.succeeded();
				return toLongs(result);
			}
		};
	}

	@SuppressWarnings("unchecked")
	static List<Long> toLongs(List<?> values) {
		List<Long> longs = new ArrayList<>(values.size());
		for (Object value : values) {
			if (value instanceof List<?> nested) {
				longs.addAll(toLongs(nested));
			}
			else {
				longs.add(((Number) value).longValue());
			}
		}
		return longs;
	}

	private static final class Reactive extends ScriptRunner {

		private final ReactiveStringRedisTemplate template;

		private final Scheduler scheduler = Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
				Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, "redis-patterns-rate-limit", 60, true);

		Reactive(ReactiveStringRedisTemplate template) {
			this.template = template;
		}

		@Override
		void close() {
			this.scheduler.dispose();
		}

		@Override
		void preload(RedisScript<List> script) {
			// no keys: the script only reads TIME; EVALSHA fails with NOSCRIPT once, then EVAL loads it
			this.template.execute(script, List.of(), List.of()).subscribeOn(this.scheduler).subscribe((result) -> {
			}, (error) -> {
			});
		}

		/**
		 * Waits at most {@code timeout}, then cancels the call (so that a command still queued in
		 * the client is never sent later, charging a decision that was already answered) and
		 * reports whether it had been handed to the client.
		 */
		@Override
		List<Long> run(RedisScript<List> script, List<String> keys, List<String> args, Duration timeout,
				Outcome outcome) throws TimeoutException {
			AtomicBoolean sent = new AtomicBoolean();
			AtomicBoolean reported = new AtomicBoolean();
			CompletableFuture<List<List>> future = Mono.defer(() -> {
				// the scheduler's thread took the call: from here on it is Redis (connect, reply) that decides
				sent.set(true);
				return this.template.execute(script, keys, args).collectList();
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
				List<List> result = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
				return toLongs((result != null) ? result : List.of());
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
