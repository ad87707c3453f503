package io.redispatterns.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.Exceptions;
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

	abstract List<Long> run(RedisScript<List> script, List<String> keys, List<String> args, Duration timeout)
			throws TimeoutException;

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
			List<Long> run(RedisScript<List> script, List<String> keys, List<String> args, Duration timeout) {
				return toLongs(template.execute(script, keys, args.toArray()));
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

		@Override
		List<Long> run(RedisScript<List> script, List<String> keys, List<String> args, Duration timeout)
				throws TimeoutException {
			try {
				List<List> result = this.template.execute(script, keys, args)
					.collectList()
					.subscribeOn(this.scheduler)
					.timeout(timeout)
					.block();
				return toLongs((result != null) ? result : List.of());
			}
			catch (RuntimeException ex) {
				Throwable cause = Exceptions.unwrap(ex);
				if (cause instanceof TimeoutException timeoutException) {
					throw timeoutException;
				}
				throw ex;
			}
		}

	}

}
