package io.redispatterns.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.redispatterns.stream.RedisStreamListener;
import io.redispatterns.stream.StreamListenerHandle;
import io.redispatterns.stream.StreamListeners;
import io.redispatterns.stream.StreamPublisher;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Consuming a backlog: {@code @RedisStreamListener} at concurrency 1 and 8 (no-op handler) next to a raw loop of
 * {@code XREADGROUP COUNT 100} and one {@code XACK} of the ids it returned (Lettuce, one connection, over a backlog
 * of the same entries, written by the same {@link StreamPublisher}), in {@link Harness#ROUNDS} rounds (each
 * listener's window right after a raw window, ratio of medians). The listeners are declared with
 * {@code autoStartup = "false"} and started through the public {@link StreamListeners} once their backlog is in
 * place, so the timed window holds nothing but consumption. Then the commands per entry ({@code INFO
 * commandstats}) and the live latency: entries published at a steady rate, time from before {@code XADD} to the
 * handler.
 */
final class StreamConsumeBenchmark {

	static final int BACKLOG = Integer.getInteger("bench.stream-backlog", 20_000);

	static final int LIVE_RATE = Integer.getInteger("bench.stream-live-rate", 1_000);

	static final int LIVE_COUNT = Integer.getInteger("bench.stream-live-count", 3_000);

	static final AtomicInteger handled = new AtomicInteger();

	/** Live latencies in ns, written by handlers. */
	static final long[] latencies = new long[LIVE_COUNT];

	static final AtomicInteger latencyCount = new AtomicInteger();

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	private static final List<String> LISTENERS = List.of("concurrency-1", "concurrency-8");

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
					received(payload);
				}
			};
		}

		@Bean
		Object concurrencyEight() {
			return new Object() {
				@RedisStreamListener(stream = "bench-8", group = "g", id = "concurrency-8", concurrency = 8,
						startFrom = "earliest", autoStartup = "false")
				void on(String payload) {
					received(payload);
				}
			};
		}

	}

	static void received(String payload) {
		if (payload.charAt(0) == 't') {
			long latency = System.nanoTime() - Long.parseLong(payload.substring(1));
			int index = latencyCount.getAndIncrement();
			if (index < latencies.length) {
				latencies[index] = latency;
			}
		}
		handled.incrementAndGet();
	}

	static String run(StandaloneRedis redis) {
		List<Double> raw = new ArrayList<>();
		Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
		Map<String, List<Double>> ratios = new java.util.LinkedHashMap<>();
		Map<String, List<Double>> cpu = new java.util.LinkedHashMap<>();
		cpu.put("raw", new ArrayList<>());
		Map<String, String> commands = new java.util.LinkedHashMap<>();
		Map<String, String> live = new java.util.LinkedHashMap<>();
		LISTENERS.forEach((id) -> {
			rates.put(id, new ArrayList<>());
			ratios.put(id, new ArrayList<>());
			cpu.put(id, new ArrayList<>());
		});
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis, Listeners.class)) {
			StreamListeners listeners = context.getBean(StreamListeners.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamKeys keys = context.getBean(StreamKeys.class);
			for (int round = 0; round < Harness.ROUNDS; round++) {
				for (String id : LISTENERS) {
					String rawStream = "bench-raw-" + round + "-" + id;
					backlog(publisher, rawStream);
					long cpuBefore = processCpuNanos();
					double ceiling = rawLoop(redis, keys.stream(rawStream));
					cpu.get("raw").add((processCpuNanos() - cpuBefore) / 1e3 / BACKLOG);
					raw.add(ceiling);
					StreamListenerHandle listener = listeners.get(id);
					backlog(publisher, listener.stream());
					CommandCalls before = CommandCalls.of(redis.node());
					cpuBefore = processCpuNanos();
					double rate = consume(listener);
					cpu.get(id).add((processCpuNanos() - cpuBefore) / 1e3 / BACKLOG);
					if (round == 0) {
						commands.put(id, perEntry(CommandCalls.of(redis.node()).since(before)));
					}
					rates.get(id).add(rate);
					ratios.get(id).add(rate / ceiling);
					System.out.printf(Locale.ROOT,
							"  round %d: %s %,.0f entries/s, raw loop %,.0f (%.2f); JVM CPU per entry %.1f µs, raw %.1f µs%n",
							round + 1, id, rate, ceiling, rate / ceiling, last(cpu.get(id)), last(cpu.get("raw")));
				}
			}
			for (String id : LISTENERS) {
				live.put(id, live(listeners.get(id), publisher));
			}
		}
		live.put("raw", rawLive(redis));
		return table(raw, rates, ratios, commands, live, cpu);
	}

	private static void backlog(StreamPublisher publisher, String stream) {
		for (int i = 0; i < BACKLOG; i++) {
			publisher.publish(stream, "x");
		}
	}

	private static double consume(StreamListenerHandle listener) {
		handled.set(0);
		long start = System.nanoTime();
		listener.start();
		awaitHandled(start, BACKLOG);
		double rate = BACKLOG / seconds(System.nanoTime() - start);
		listener.stop();
		return rate;
	}

	private static double rawLoop(StandaloneRedis redis, String key) {
		return redis.node().execute((commands) -> {
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
			double rate = BACKLOG / seconds(System.nanoTime() - start);
			commands.del(key);
			return rate;
		});
	}

	/** Publishes {@link #LIVE_COUNT} entries at {@link #LIVE_RATE} per second; the handler records the latency. */
	private static String live(StreamListenerHandle listener, StreamPublisher publisher) {
		latencyCount.set(0);
		handled.set(0);
		listener.start();
		long start = System.nanoTime();
		long interval = 1_000_000_000L / LIVE_RATE;
		for (int i = 0; i < LIVE_COUNT; i++) {
			long due = start + i * interval;
			while (System.nanoTime() < due) {
				LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
			}
			publisher.publish(listener.stream(), "t" + System.nanoTime());
		}
		awaitHandled(start, LIVE_COUNT);
		listener.stop();
		return percentiles(Math.min(latencyCount.get(), LIVE_COUNT));
	}

	/** The raw live loop: {@code XREADGROUP COUNT 100 BLOCK 1000} and one {@code XACK}, on its own thread. */
	private static String rawLive(StandaloneRedis redis) {
		String key = "bench-raw-live";
		latencyCount.set(0);
		AtomicBoolean done = new AtomicBoolean();
		redis.node().commands((commands) -> commands.xgroupCreate(XReadArgs.StreamOffset.from(key, "$"), "g",
				io.lettuce.core.XGroupCreateArgs.Builder.mkstream()));
		Thread consumer = new Thread(() -> redis.node().commands((commands) -> {
			while (!done.get()) {
				List<StreamMessage<String, String>> messages = commands.xreadgroup(Consumer.from("g", "c"),
						XReadArgs.Builder.count(100).block(200), XReadArgs.StreamOffset.lastConsumed(key));
				for (StreamMessage<String, String> message : messages) {
					received(message.getBody().get("payload"));
				}
				if (!messages.isEmpty()) {
					commands.xack(key, "g", messages.stream().map(StreamMessage::getId).toArray(String[]::new));
				}
			}
		}), "raw-live-consumer");
		consumer.start();
		handled.set(0);
		long start = System.nanoTime();
		long interval = 1_000_000_000L / LIVE_RATE;
		redis.node().commands((commands) -> {
			for (int i = 0; i < LIVE_COUNT; i++) {
				long due = start + i * interval;
				while (System.nanoTime() < due) {
					LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
				}
				commands.xadd(key, "payload", "t" + System.nanoTime());
			}
		});
		awaitHandled(start, LIVE_COUNT);
		done.set(true);
		try {
			consumer.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return percentiles(Math.min(latencyCount.get(), LIVE_COUNT));
	}

	private static String percentiles(int count) {
		long[] sorted = Arrays.copyOf(latencies, count);
		Arrays.sort(sorted);
		return String.format(Locale.ROOT, "%.2f ms / %.2f ms", sorted[count / 2] / 1e6,
				sorted[Math.min(count - 1, (int) (count * 0.99))] / 1e6);
	}

	private static String perEntry(CommandCalls calls) {
		List<String> parts = new ArrayList<>();
		double total = 0;
		for (Map.Entry<String, Long> entry : calls.without("info").asMap().entrySet()) {
			total += entry.getValue();
			if (entry.getValue() < BACKLOG / 1000) {
				// the containers' background commands (group stats, claims, consumer clean-up)
				continue;
			}
			parts.add(String.format(Locale.ROOT, "%s %.3f", entry.getKey(), (double) entry.getValue() / BACKLOG));
		}
		return String.format(Locale.ROOT, "%.3f (%s)", total / BACKLOG, String.join(", ", parts));
	}

	private static String table(List<Double> raw, Map<String, List<Double>> rates, Map<String, List<Double>> ratios,
			Map<String, String> commands, Map<String, String> live, Map<String, List<Double>> cpu) {
		StringBuilder out = new StringBuilder();
		out.append("\n### Stream consume, backlog of ").append(String.format("%,d", BACKLOG))
			.append(" entries (no-op handler), ").append(Harness.ROUNDS).append(" rounds\n\n");
		out.append("| contender | entries/s (median) | ratio to the raw loop (median of rounds) | per-round ratios "
				+ "| JVM CPU per entry, median (µs) | commands per entry (INFO commandstats) | live latency p50 / p99 (")
			.append(LIVE_RATE).append(" entries/s) |\n| --- | ---: | ---: | --- | ---: | --- | --- |\n");
		out.append(String.format(Locale.ROOT,
				"| raw loop: `XREADGROUP COUNT 100`, one `XACK` of its ids | %,.0f | 1.00 | | %.1f | 0.020 (xreadgroup 0.010, xack 0.010) | %s |%n",
				median(raw), median(cpu.get("raw")), live.get("raw")));
		for (String id : LISTENERS) {
			out.append(String.format(Locale.ROOT, "| `@RedisStreamListener`, %s | %,.0f | %.2f | %s | %.1f | %s | %s |%n",
					id, median(rates.get(id)), median(ratios.get(id)),
					String.join(" ", ratios.get(id).stream().map((r) -> String.format(Locale.ROOT, "%.2f", r)).toList()),
					median(cpu.get(id)), commands.get(id), live.get(id)));
		}
		return out.toString();
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(Comparator.naturalOrder());
		return sorted.get(sorted.size() / 2);
	}

	/** Polls every millisecond rather than spinning: a spinning thread would take one of the two cores. */
	private static void awaitHandled(long start, int expected) {
		long deadline = start + TIMEOUT.toNanos();
		while (handled.get() < expected) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + handled.get() + " of " + expected + " entries handled in "
						+ TIMEOUT);
			}
			LockSupport.parkNanos(1_000_000);
		}
	}

	/**
	 * CPU time of this JVM (every thread: the listener's, the client's I/O threads, also the 1 ms polls of the
	 * waiting benchmark thread): a cost per entry that, unlike a rate, does not depend on how many other
	 * processes share the cores.
	 */
	static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private static double last(List<Double> values) {
		return values.get(values.size() - 1);
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

}
