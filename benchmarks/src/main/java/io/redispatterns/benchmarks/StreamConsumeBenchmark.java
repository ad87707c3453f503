package io.redispatterns.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.redispatterns.stream.RedisStreamListener;
import io.redispatterns.stream.StreamListenerHandle;
import io.redispatterns.stream.StreamListeners;
import io.redispatterns.stream.StreamPublisher;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Consuming a backlog: {@code @RedisStreamListener} at concurrency 1 and 8 (no-op handler) next to a raw loop of
 * {@code XREADGROUP COUNT 100} and one {@code XACK} of the ids it returned. The listeners are declared with {@code autoStartup = "false"}
 * and started through the public {@link StreamListeners} once their backlog is in place, so the timed window
 * holds nothing but consumption.
 */
final class StreamConsumeBenchmark {

	static final int BACKLOG = Integer.getInteger("bench.stream-backlog", 20_000);

	static final AtomicInteger handled = new AtomicInteger();

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	private StreamConsumeBenchmark() {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object concurrencyOne() {
			return new Object() {
				@RedisStreamListener(stream = "bench-1", group = "g", id = "concurrency-1", concurrency = 1,
						startFrom = "earliest", autoStartup = "false")
				void on(String payload) {
					handled.incrementAndGet();
				}
			};
		}

		@Bean
		Object concurrencyEight() {
			return new Object() {
				@RedisStreamListener(stream = "bench-8", group = "g", id = "concurrency-8", concurrency = 8,
						startFrom = "earliest", autoStartup = "false")
				void on(String payload) {
					handled.incrementAndGet();
				}
			};
		}

	}

	static String run(StandaloneRedis redis) {
		double raw = rawLoop(redis);
		StringBuilder out = new StringBuilder();
		out.append("\n### Stream consume, backlog of ").append(String.format("%,d", BACKLOG))
			.append(" entries (no-op handler)\n\n");
		out.append("| contender | entries/s | ratio to the raw loop |\n| --- | ---: | ---: |\n");
		out.append(String.format("| raw loop: `XREADGROUP COUNT 100`, one `XACK` of its 100 ids | %,.0f | 1.00 |%n", raw));
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis, Listeners.class)) {
			StreamListeners listeners = context.getBean(StreamListeners.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (String id : List.of("concurrency-1", "concurrency-8")) {
				StreamListenerHandle listener = listeners.get(id);
				for (int i = 0; i < BACKLOG; i++) {
					publisher.publish(listener.stream(), "x");
				}
				handled.set(0);
				long start = System.nanoTime();
				listener.start();
				awaitHandled(start);
				double rate = BACKLOG / seconds(System.nanoTime() - start);
				listener.stop();
				out.append(String.format("| `@RedisStreamListener`, %s | %,.0f | %.2f |%n", id, rate, rate / raw));
			}
		}
		return out.toString();
	}

	private static double rawLoop(StandaloneRedis redis) {
		return redis.node().execute((commands) -> {
			String key = "bench-raw";
			for (int i = 0; i < BACKLOG; i++) {
				commands.xadd(key, "payload", "\"x\"");
			}
			commands.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "g");
			long start = System.nanoTime();
			int consumed = 0;
			while (consumed < BACKLOG) {
				List<StreamMessage<String, String>> messages = commands.xreadgroup(Consumer.from("g", "c"),
						XReadArgs.Builder.count(100), XReadArgs.StreamOffset.lastConsumed(key));
				if (!messages.isEmpty()) {
					commands.xack(key, "g", messages.stream().map(StreamMessage::getId).toArray(String[]::new));
				}
				consumed += messages.size();
			}
			return BACKLOG / seconds(System.nanoTime() - start);
		});
	}

	/** Polls every millisecond rather than spinning: a spinning thread would take one of the two cores. */
	private static void awaitHandled(long start) {
		long deadline = start + TIMEOUT.toNanos();
		while (handled.get() < BACKLOG) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + handled.get() + " of " + BACKLOG + " entries handled in "
						+ TIMEOUT);
			}
			LockSupport.parkNanos(1_000_000);
		}
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

}
