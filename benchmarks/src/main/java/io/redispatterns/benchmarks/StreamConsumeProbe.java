package io.redispatterns.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.redispatterns.stream.RedisStreamListener;
import io.redispatterns.stream.StreamListenerHandle;
import io.redispatterns.stream.StreamListeners;
import io.redispatterns.stream.StreamPublisher;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where a consumed entry's time goes, per thread: the raw {@code XREADGROUP COUNT 100} + {@code XACK} loop and
 * {@code @RedisStreamListener} at concurrency 1 and 8 (no-op handler) over the same backlog, interleaved
 * ({@code bench.probe-repeats} times raw, concurrency 8, raw, concurrency 1), each window reporting the rate, the
 * ratio to the raw window just before it, and per thread group (the listener's reading thread, its workers,
 * Lettuce's I/O threads, the rest of the JVM) the CPU time and the context switches per 100 entries, read from
 * {@code /proc/self/task} (Linux only), plus Redis's own CPU per entry ({@code INFO cpu}). Context switches counted
 * voluntary (a thread parked: waiting for a reply, a hand-off, a permit) and involuntary (preempted). Run with
 * {@code exec:java -Dexec.mainClass=io.redispatterns.benchmarks.StreamConsumeProbe}.
 */
public final class StreamConsumeProbe {

	static final int BACKLOG = Integer.getInteger("bench.stream-backlog", 20_000);

	static final int REPEATS = Integer.getInteger("bench.probe-repeats", 8);

	/** Repeats run first and not reported: until the JIT is done, its compiler threads cost more than a window. */
	static final int WARMUP = Integer.getInteger("bench.probe-warmup", 4);

	static final AtomicInteger handled = new AtomicInteger();

	private StreamConsumeProbe() {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object probeOne() {
			return new Object() {
				@RedisStreamListener(stream = "p1", group = "g", id = "concurrency-1", concurrency = 1,
						startFrom = "earliest", autoStartup = "false")
				void on(String payload) {
					handled.incrementAndGet();
				}
			};
		}

		@Bean
		Object probeEight() {
			return new Object() {
				@RedisStreamListener(stream = "p8", group = "g", id = "concurrency-8", concurrency = 8,
						startFrom = "earliest", autoStartup = "false")
				void on(String payload) {
					handled.incrementAndGet();
				}
			};
		}

	}

	public static void main(String[] args) {
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0);
				ConfigurableApplicationContext context = BenchmarkApplication.start(redis, Listeners.class)) {
			StreamListeners listeners = context.getBean(StreamListeners.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamKeys keys = context.getBean(StreamKeys.class);
			Map<String, List<Double>> ratios = new LinkedHashMap<>();
			Map<String, List<Map<String, double[]>>> costs = new LinkedHashMap<>();
			System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
			for (int repeat = -WARMUP; repeat < REPEATS; repeat++) {
				for (String id : List.of("concurrency-8", "concurrency-1")) {
					String rawStream = "probe-raw-" + repeat + "-" + id;
					backlog(publisher, rawStream);
					Window raw = measure(redis, () -> rawLoop(redis, keys.stream(rawStream)));
					StreamListenerHandle listener = listeners.get(id);
					backlog(publisher, listener.stream());
					Window ours = measure(redis, () -> consume(listener));
					listener.stop();
					double ratio = ours.rate / raw.rate;
					if (repeat < 0) {
						continue;
					}
					System.out.printf(Locale.ROOT, "repeat %d %s: %,.0f entries/s, raw %,.0f (%.2f); load %s%n  raw  %s%n  ours %s%n",
							repeat + 1, id, ours.rate, raw.rate, ratio, loadAverage(), raw.describe(), ours.describe());
					{
						ratios.computeIfAbsent(id, (k) -> new ArrayList<>()).add(ratio);
						costs.computeIfAbsent(id, (k) -> new ArrayList<>()).add(ours.perHundred);
						costs.computeIfAbsent("raw", (k) -> new ArrayList<>()).add(raw.perHundred);
					}
				}
			}
			System.out.printf(Locale.ROOT, "%nload average after: %s%n", loadAverage());
			ratios.forEach((id, values) -> System.out.printf(Locale.ROOT, "%s: ratio median %.2f (%s)%n", id,
					median(values), String.join(" ", values.stream().map((v) -> String.format(Locale.ROOT, "%.2f", v)).toList())));
			costs.forEach((id, windows) -> System.out.printf(Locale.ROOT, "%s median per 100 entries: %s%n", id,
					medianCosts(windows)));
		}
	}

	private static String medianCosts(List<Map<String, double[]>> windows) {
		Map<String, List<double[]>> byGroup = new TreeMap<>();
		for (Map<String, double[]> window : windows) {
			window.forEach((group, values) -> byGroup.computeIfAbsent(group, (k) -> new ArrayList<>()).add(values));
		}
		List<String> parts = new ArrayList<>();
		byGroup.forEach((group, values) -> {
			if (values.stream().allMatch((v) -> v[0] < 1)) {
				return;
			}
			double[] medians = new double[3];
			for (int i = 0; i < 3; i++) {
				int index = i;
				medians[i] = median(values.stream().map((v) -> v[index]).toList());
			}
			parts.add(String.format(Locale.ROOT, "%s %.0f µs cpu, %.1f vol / %.1f invol cs", group, medians[0],
					medians[1], medians[2]));
		});
		return String.join("; ", parts);
	}

	/** Published from 8 threads (the order of a no-op handler's entries does not matter): a shorter wait. */
	private static void backlog(StreamPublisher publisher, String stream) {
		java.util.stream.IntStream.range(0, 8).parallel().forEach((part) -> {
			for (int i = part; i < BACKLOG; i += 8) {
				publisher.publish(stream, "x");
			}
		});
	}

	private static void consume(StreamListenerHandle listener) {
		handled.set(0);
		listener.start();
		while (handled.get() < BACKLOG) {
			LockSupport.parkNanos(1_000_000);
		}
	}

	private static void rawLoop(StandaloneRedis redis, String key) {
		redis.node().execute((commands) -> {
			commands.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "g");
			int consumed = 0;
			while (consumed < BACKLOG) {
				List<StreamMessage<String, String>> messages = commands.xreadgroup(Consumer.from("g", "c"),
						XReadArgs.Builder.count(100), XReadArgs.StreamOffset.lastConsumed(key));
				if (!messages.isEmpty()) {
					commands.xack(key, "g", messages.stream().map(StreamMessage::getId).toArray(String[]::new));
				}
				consumed += messages.size();
			}
			return commands.del(key);
		});
	}

	private static Window measure(StandaloneRedis redis, Runnable work) {
		Map<Integer, long[]> before = threads();
		double redisBefore = redisCpuSeconds(redis);
		long start = System.nanoTime();
		work.run();
		long nanos = System.nanoTime() - start;
		// taken before the listener stops: its threads end with the stop
		Map<Integer, long[]> after = threads();
		double redisSeconds = redisCpuSeconds(redis) - redisBefore;
		Map<String, double[]> perHundred = new TreeMap<>();
		after.forEach((tid, values) -> {
			long[] base = before.getOrDefault(tid, new long[] { values[0], 0, 0, 0 });
			String group = group(tid);
			double[] sum = perHundred.computeIfAbsent(group, (k) -> new double[3]);
			double scale = 100.0 / BACKLOG;
			sum[0] += (values[1] - base[1]) / 1e3 * scale;
			sum[1] += (values[2] - base[2]) * scale;
			sum[2] += (values[3] - base[3]) * scale;
		});
		perHundred.put("redis-server", new double[] { redisSeconds * 1e6 * 100 / BACKLOG, 0, 0 });
		return new Window(BACKLOG / (nanos / 1e9), perHundred);
	}

	private static String group(int tid) {
		String name = name(tid);
		if (name.equals("stream-p8-g")) {
			return "c8-reader";
		}
		if (name.startsWith("stream-p8-g-")) {
			return "c8-workers";
		}
		if (name.startsWith("stream-p1-g")) {
			return "c1-reader";
		}
		if (name.startsWith("lettuce-")) {
			return name.replaceAll("[0-9-]+$", "");
		}
		if (name.startsWith("GC ") || name.startsWith("G1 ")) {
			return "gc";
		}
		if (name.startsWith("C1 ") || name.startsWith("C2 ")) {
			return "jit";
		}
		if (name.startsWith("StreamConsumePr") || name.startsWith("io.redispattern") || name.equals("java")) {
			return "main";
		}
		return "other:" + name.replaceAll("[0-9-]+$", "");
	}

	/** Per thread of this JVM: {name hash, cpu ns, voluntary, involuntary context switches}. */
	private static Map<Integer, long[]> threads() {
		Map<Integer, long[]> threads = new TreeMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : tasks.toList()) {
				try {
					int tid = Integer.parseInt(task.getFileName().toString());
					String[] sched = Files.readString(task.resolve("schedstat")).trim().split(" ");
					long voluntary = 0;
					long involuntary = 0;
					for (String line : Files.readAllLines(task.resolve("status"))) {
						if (line.startsWith("voluntary_ctxt_switches:")) {
							voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
						}
						else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
							involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
						}
					}
					threads.put(tid, new long[] { 0, Long.parseLong(sched[0]), voluntary, involuntary });
					names.put(tid, Files.readString(task.resolve("comm")).trim());
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return threads;
	}

	private static final Map<Integer, String> names = new java.util.concurrent.ConcurrentHashMap<>();

	private static String name(int tid) {
		return names.getOrDefault(tid, "?");
	}

	private static double redisCpuSeconds(StandaloneRedis redis) {
		String info = redis.node().execute((commands) -> commands.info("cpu"));
		double seconds = 0;
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
				seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return seconds;
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(Comparator.naturalOrder());
		return sorted.get(sorted.size() / 2);
	}

	private record Window(double rate, Map<String, double[]> perHundred) {

		String describe() {
			List<String> parts = new ArrayList<>();
			this.perHundred.forEach((group, values) -> parts.add((values[0] < 1) ? "" : String.format(Locale.ROOT, "%s %.0fµs/%.1fv/%.1fi",
					group, values[0], values[1], values[2])));
			return String.join(", ", parts);
		}

	}

}
