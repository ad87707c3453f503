package io.redispatterns.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobOptions;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.RedisJobHandler;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Job queue: redis-patterns {@link JobQueues} with {@code @RedisJobHandler} workers next to a raw Lettuce
 * reliable-queue loop ({@code LPUSH}; {@code BLMOVE} to a processing list, {@code LREM} after handling), on one
 * redis-server: enqueue rates, processing a backlog of no-op jobs at concurrency 1 and 16, Redis commands and CPU
 * per job, enqueue-to-start latency, delayed-job lateness, and memory per waiting and per retained completed job.
 */
final class QueueBenchmark {

	static final int BACKLOG = Integer.getInteger("bench.queue.backlog", 20_000);

	static final int ENQUEUES = Integer.getInteger("bench.queue.enqueues", 20_000);

	static final int LATENCY_JOBS = Integer.getInteger("bench.queue.latency-jobs", 2_000);

	static final int LIGHT_DELAYED_JOBS = Integer.getInteger("bench.queue.light-delayed-jobs", 400);

	/**
	 * {@code enqueue}: only the enqueue rows ({@code bench.queue.enqueue-rounds} rounds of 1 and 16 producers, ours
	 * then the raw loop, and BullMQ's enqueue rows as many times), for profiling the enqueue path alone.
	 */
	static final String ONLY = System.getProperty("bench.queue.only", "");

	static final int ENQUEUE_ROUNDS = Integer.getInteger("bench.queue.enqueue-rounds", 3);

	/**
	 * A folder: with {@code bench.queue.only=enqueue}, the 16-producer windows of the last round are recorded with JFR
	 * (settings "profile", execution samples every 1 ms) into {@code ours-16.jfr} and {@code raw-16.jfr} there;
	 * that round is left out of the medians.
	 */
	static final String JFR_DIR = System.getProperty("bench.queue.jfr", "");

	static final String PAYLOAD_TEXT = "{\"to\":\"someone@example.com\",\"subject\":\"Hello\"}";

	record Job(long enqueuedNanos, long dueNanos, String to, String subject) {
	}

	/** Queue name to handled count and latencies (micros). */
	static final Map<String, AtomicLong> handled = new ConcurrentHashMap<>();

	static final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();

	static void record(String queue, Job job) {
		handled.computeIfAbsent(queue, (q) -> new AtomicLong()).incrementAndGet();
		if (job.dueNanos() != 0) {
			latencies.computeIfAbsent(queue, (q) -> java.util.Collections.synchronizedList(new ArrayList<>()))
				.add((System.nanoTime() - job.dueNanos()) / 1000);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Object benchmarkHandlers() {
			return new Object() {
				@RedisJobHandler(queue = "bench-c1", concurrency = 1)
				void c1(Job job) {
					record("bench-c1", job);
				}

				@RedisJobHandler(queue = "bench-c16", concurrency = 16)
				void c16(Job job) {
					record("bench-c16", job);
				}

				@RedisJobHandler(queue = "bench-latency", concurrency = 16)
				void latency(Job job) {
					record("bench-latency", job);
				}

				@RedisJobHandler(queue = "bench-delayed", concurrency = 16)
				void delayed(Job job) {
					record("bench-delayed", job);
				}
			};
		}

	}

	private QueueBenchmark() {
	}

	static String run(StandaloneRedis redis) throws Exception {
		StringBuilder out = new StringBuilder();
		Map<String, Object> properties = new LinkedHashMap<>(redis.springProperties());
		properties.put("redis-patterns.embedded.enabled", "false");
		properties.put("spring.data.redis.timeout", "10s");
		properties.put("logging.level.root", "WARN");
		properties.put("redis-patterns.queue.retention.completed", Integer.toString(2 * BACKLOG));
		RedisClient client = RedisClient.create(redis.node().uri());
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class,
				Handlers.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run(); StatefulRedisConnection<String, String> admin = client.connect()) {
			JobQueues jobs = context.getBean(JobQueues.class);
			RedisCommands<String, String> commands = admin.sync();
			out.append("\n### Job queue (redis-patterns JobQueues vs a raw Lettuce LPUSH / BLMOVE / LREM loop)\n\n");
			out.append("| measurement | redis-patterns | raw Lettuce loop | ratio |\n| --- | --- | --- | --- |\n");
			// warm-up of both paths
			enqueueOurs(jobs, "bench-c16", 2000, 4);
			awaitHandled("bench-c16", 2000);
			rawProcess(client, commands, "raw:warm", 2000, 4);
			if (ONLY.equals("enqueue")) {
				enqueueRounds(out, jobs, client);
			}
			else {
				runAll(out, redis, context, jobs, client, commands);
			}
		}
		finally {
			client.shutdown();
		}
		if (Boolean.parseBoolean(System.getProperty("bench.queue.bullmq", "true"))) {
			out.append(bullmq(redis, ONLY.equals("enqueue") ? "enqueue" : "all"));
		}
		return out.toString();
	}

	private static void runAll(StringBuilder out, StandaloneRedis redis, ConfigurableApplicationContext context,
			JobQueues jobs, RedisClient client, RedisCommands<String, String> commands) throws Exception {
		double ours1 = enqueueOurs(jobs, "bench-enq1", ENQUEUES, 1);
		double raw1 = enqueueRaw(client, "raw:enq1", ENQUEUES, 1);
		row(out, "enqueue, 1 producer (jobs/s)", ours1, raw1);
		double ours16 = enqueueOurs(jobs, "bench-enq16", ENQUEUES, 16);
		double raw16 = enqueueRaw(client, "raw:enq16", ENQUEUES, 16);
		row(out, "enqueue, 16 producers (jobs/s)", ours16, raw16);
		double oursBatch = enqueueOursBatches(jobs, "bench-enqb", ENQUEUES * 5);
		double rawBatch = enqueueRawBatches(commands, "raw:enqb", ENQUEUES * 5);
		row(out, "enqueue, batches of 100 (jobs/s)", oursBatch, rawBatch);

		for (int concurrency : new int[] { 1, 16 }) {
			String queue = "bench-c" + concurrency;
			jobs.pause(queue);
			enqueueOursBatches(jobs, queue, BACKLOG);
			CommandCalls before = CommandCalls.of(redis.node());
			double cpuBefore = cpu(commands);
			long start = System.nanoTime();
			long target = handled.getOrDefault(queue, new AtomicLong()).get() + BACKLOG;
			jobs.resume(queue);
			awaitHandled(queue, target);
			double ours = BACKLOG / ((System.nanoTime() - start) / 1e9);
			CommandCalls backlogCalls = CommandCalls.of(redis.node()).since(before);
			double oursCommands = (double) backlogCalls.total() / BACKLOG;
			double oursCpu = (cpu(commands) - cpuBefore) * 1e6 / BACKLOG;
			String backlogBreakdown = breakdown(backlogCalls, BACKLOG);
			before = CommandCalls.of(redis.node());
			cpuBefore = cpu(commands);
			double raw = rawProcess(client, commands, "raw:c" + concurrency, BACKLOG, concurrency);
			double rawCommands = (double) CommandCalls.of(redis.node()).since(before).total() / BACKLOG;
			double rawCpu = (cpu(commands) - cpuBefore) * 1e6 / BACKLOG;
			row(out, "process a " + BACKLOG + "-job backlog of no-op jobs, concurrency " + concurrency + " (jobs/s)",
					ours, raw);
			row(out, "  Redis commands per job processed, concurrency " + concurrency + " (backlog enqueued in batches)",
					oursCommands, rawCommands);
			row(out, "  Redis CPU per job processed, concurrency " + concurrency + " (µs)", oursCpu, rawCpu);
			line(out, "|   per command and job (redis-patterns): " + backlogBreakdown + " | | | |");
		}

		// enqueue and process at once, one job at a time from 4 producers: commands and CPU per job end to end
		CommandCalls before = CommandCalls.of(redis.node());
		double cpuBefore = cpu(commands);
		long target = handled.get("bench-c16").get() + ENQUEUES;
		long start = System.nanoTime();
		enqueueOurs(jobs, "bench-c16", ENQUEUES, 4);
		awaitHandled("bench-c16", target);
		double ours = ENQUEUES / ((System.nanoTime() - start) / 1e9);
		CommandCalls bothCalls = CommandCalls.of(redis.node()).since(before);
		double oursCommands = (double) bothCalls.total() / ENQUEUES;
		double oursCpu = (cpu(commands) - cpuBefore) * 1e6 / ENQUEUES;
		before = CommandCalls.of(redis.node());
		cpuBefore = cpu(commands);
		double raw = rawEnqueueAndProcess(client, "raw:both", ENQUEUES, 4, 16);
		double rawCommands = (double) CommandCalls.of(redis.node()).since(before).total() / ENQUEUES;
		double rawCpu = (cpu(commands) - cpuBefore) * 1e6 / ENQUEUES;
		row(out, "enqueue (4 producers) and process (concurrency 16) at once (jobs/s)", ours, raw);
		row(out, "  Redis commands per job enqueued and processed", oursCommands, rawCommands);
		row(out, "  Redis CPU per job enqueued and processed (µs)", oursCpu, rawCpu);
		line(out, "|   per command and job (redis-patterns): " + breakdown(bothCalls, ENQUEUES) + " | | | |");

		// enqueue-to-start latency at a moderate rate
		latencies.clear();
		for (int i = 0; i < LATENCY_JOBS; i++) {
			long now = System.nanoTime();
			jobs.enqueue("bench-latency", new Job(now, now, "a", "b"));
			if (i % 10 == 0) {
				Thread.sleep(1);
			}
		}
		awaitHandled("bench-latency", LATENCY_JOBS);
		long[] ourLatency = percentiles(latencies.get("bench-latency"));
		long[] rawLatency = rawLatency(client, "raw:latency", LATENCY_JOBS);
		out.append(String.format(Locale.ROOT, "| enqueue → start latency p50 / p99 (ms) | %.2f / %.2f | %.2f / %.2f | |%n",
				ourLatency[0] / 1000.0, ourLatency[1] / 1000.0, rawLatency[0] / 1000.0, rawLatency[1] / 1000.0));

		// delayed jobs: how late after their due time they start (the raw loop has no delays)
		int delayedJobs = LATENCY_JOBS / 2;
		for (int i = 0; i < delayedJobs; i++) {
			long delayMillis = 20 + ThreadLocalRandom.current().nextLong(1000);
			long now = System.nanoTime();
			jobs.enqueue("bench-delayed", new Job(now, now + delayMillis * 1_000_000, "a", "b"),
					JobOptions.delay(Duration.ofMillis(delayMillis)));
		}
		awaitHandled("bench-delayed", delayedJobs);
		long[] late = percentiles(latencies.get("bench-delayed"));
		line(out, String.format(Locale.ROOT,
				"| delayed job (20–1020 ms, 1,000 enqueued within about 1 s) started late by p50 / p99 (ms) | %.2f / %.2f | — | |",
				late[0] / 1000.0, late[1] / 1000.0));

		// delayed jobs at a light load: one enqueued every 5 ms, due 20–520 ms later, so workers mostly sleep
		// and each job is started by a wake-up at its due time
		latencies.remove("bench-delayed");
		long lightTarget = handled.get("bench-delayed").get() + LIGHT_DELAYED_JOBS;
		for (int i = 0; i < LIGHT_DELAYED_JOBS; i++) {
			long delayMillis = 20 + ThreadLocalRandom.current().nextLong(500);
			long now = System.nanoTime();
			jobs.enqueue("bench-delayed", new Job(now, now + delayMillis * 1_000_000, "a", "b"),
					JobOptions.delay(Duration.ofMillis(delayMillis)));
			Thread.sleep(5);
		}
		awaitHandled("bench-delayed", lightTarget);
		long[] lightLate = percentiles(latencies.get("bench-delayed"));
		line(out, String.format(Locale.ROOT,
				"| delayed job (20–520 ms, one enqueued every 5 ms) started late by p50 / p99 (ms) | %.2f / %.2f | — | |",
				lightLate[0] / 1000.0, lightLate[1] / 1000.0));

		// memory per waiting job and per retained completed job
		commands.flushall();
		jobs.pause("bench-mem");
		long memBefore = usedMemory(commands);
		enqueueOursBatches(jobs, "bench-mem", 10_000);
		double ourWaiting = (usedMemory(commands) - memBefore) / 10_000.0;
		String memoryBreakdown = memoryBreakdown(commands,
				context.getBean(io.redispatterns.queue.internal.QueueKeys.class).base("bench-mem"));
		memBefore = usedMemory(commands);
		for (int i = 0; i < 100; i++) {
			String[] values = new String[100];
			Arrays.fill(values, payload());
			commands.lpush("raw:mem", values);
		}
		double rawWaiting = (usedMemory(commands) - memBefore) / 10_000.0;
		row(out, "Redis memory per waiting job (bytes)", ourWaiting, rawWaiting);
		out.append(memoryBreakdown);
		commands.flushall();
		memBefore = usedMemory(commands);
		long targetCompleted = handled.get("bench-c16").get() + 10_000;
		enqueueOursBatches(jobs, "bench-c16", 10_000);
		awaitHandled("bench-c16", targetCompleted);
		double ourCompleted = (usedMemory(commands) - memBefore) / 10_000.0;
		out.append(String.format(Locale.ROOT,
				"| Redis memory per retained completed job (bytes) | %.0f | — (nothing kept) | |%n", ourCompleted));
	}

	/**
	 * The enqueue rows alone, {@link #ENQUEUE_ROUNDS} times, and their medians; with the JVM's CPU time per job
	 * (all of its threads: producers, Lettuce's I/O, idle workers), which a busy machine disturbs far less than
	 * the rates.
	 */
	private static void enqueueRounds(StringBuilder out, JobQueues jobs, RedisClient client) throws Exception {
		List<double[]> rounds = new ArrayList<>();
		for (int round = 1; round <= ENQUEUE_ROUNDS; round++) {
			boolean record = !JFR_DIR.isEmpty() && round == ENQUEUE_ROUNDS;
			double ours1 = enqueueOurs(jobs, "bench-enq1", ENQUEUES, 1);
			double raw1 = enqueueRaw(client, "raw:enq1", ENQUEUES, 1);
			jdk.jfr.Recording recording = record ? startRecording() : null;
			long cpu = StreamConsumeBenchmark.processCpuNanos();
			double ours16 = enqueueOurs(jobs, "bench-enq16", ENQUEUES, 16);
			double oursCpu = (StreamConsumeBenchmark.processCpuNanos() - cpu) / 1000.0 / ENQUEUES;
			stopRecording(recording, "ours-16.jfr");
			recording = record ? startRecording() : null;
			cpu = StreamConsumeBenchmark.processCpuNanos();
			double raw16 = enqueueRaw(client, "raw:enq16", ENQUEUES, 16);
			double rawCpu = (StreamConsumeBenchmark.processCpuNanos() - cpu) / 1000.0 / ENQUEUES;
			stopRecording(recording, "raw-16.jfr");
			if (!record) {
				// the recorded round pays for the recording: left out of the medians
				rounds.add(new double[] { ours1, raw1, ours16, raw16, oursCpu, rawCpu });
			}
			row(out, "round " + round + ": enqueue, 1 producer (jobs/s)", ours1, raw1);
			row(out, "round " + round + ": enqueue, 16 producers (jobs/s)", ours16, raw16);
			row(out, "round " + round + ":   JVM CPU per job, 16 producers (µs)", oursCpu, rawCpu);
		}
		int measured = rounds.size();
		row(out, "enqueue, 1 producer (jobs/s), median of " + measured, median(rounds, 0), median(rounds, 1));
		row(out, "enqueue, 16 producers (jobs/s), median of " + measured, median(rounds, 2), median(rounds, 3));
		row(out, "  JVM CPU per job, 16 producers (µs), median of " + measured, median(rounds, 4),
				median(rounds, 5));
	}

	private static double median(List<double[]> rounds, int column) {
		double[] values = rounds.stream().mapToDouble((round) -> round[column]).sorted().toArray();
		return values[values.length / 2];
	}

	private static jdk.jfr.Recording startRecording() throws Exception {
		jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
		// "profile" samples every 10 ms: too few samples of a window of a few seconds
		recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
		recording.start();
		return recording;
	}

	private static void stopRecording(jdk.jfr.@org.jspecify.annotations.Nullable Recording recording, String file)
			throws Exception {
		if (recording != null) {
			recording.stop();
			java.nio.file.Path path = java.nio.file.Path.of(JFR_DIR).toAbsolutePath().resolve(file);
			java.nio.file.Files.createDirectories(path.getParent());
			recording.dump(path);
			recording.close();
			System.out.println("  JFR of this window: " + path);
		}
	}

	/**
	 * Runs the BullMQ side ({@code src/main/node/bullmq-bench.mjs}) with {@code node} against the same server,
	 * installing {@code bullmq} 6.7.0 and {@code ioredis} 5 into {@code target/bullmq} first when missing.
	 */
	static String bullmq(StandaloneRedis redis, String only) {
		java.nio.file.Path module = java.nio.file.Files.isDirectory(java.nio.file.Path.of("benchmarks", "src"))
				? java.nio.file.Path.of("benchmarks") : java.nio.file.Path.of(".");
		java.nio.file.Path dir = module.resolve("target/bullmq").toAbsolutePath();
		try {
			java.nio.file.Files.createDirectories(dir);
			if (!java.nio.file.Files.isDirectory(dir.resolve("node_modules/bullmq"))) {
				System.out.println("Installing bullmq 6.7.0 and ioredis 5 into " + dir);
				exec(dir, "npm", "install", "--no-audit", "--no-fund", "bullmq@6.7.0", "ioredis@5");
			}
			java.nio.file.Files.copy(module.resolve("src/main/node/bullmq-bench.mjs"), dir.resolve("bullmq-bench.mjs"),
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			System.out.println("BullMQ");
			String table = exec(dir, "node", "bullmq-bench.mjs", Integer.toString(redis.node().port()),
					Integer.toString(BACKLOG), Integer.toString(ENQUEUES), only, Integer.toString(ENQUEUE_ROUNDS));
			return "\n### BullMQ 6.7.0 (node " + exec(dir, "node", "--version").trim()
					+ ") on the same redis-server, same run\n\n| measurement | BullMQ |\n| --- | --- |\n" + table + "\n";
		}
		catch (Exception ex) {
			return "\n(BullMQ not measured: " + ex.getMessage() + ")\n";
		}
	}

	private static String exec(java.nio.file.Path dir, String... command) throws Exception {
		Process process = new ProcessBuilder(command).directory(dir.toFile())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed");
		}
		return output;
	}

	private static String payload() {
		return "{\"enqueuedNanos\":0,\"dueNanos\":0,\"to\":\"someone@example.com\",\"subject\":\"Hello\"}";
	}

	private static void line(StringBuilder out, String line) {
		System.out.println(line);
		out.append(line).append(System.lineSeparator());
	}

	/** Calls per job of each command, most frequent first (commands under 0.05 per job left out). */
	private static String breakdown(CommandCalls calls, long jobs) {
		StringBuilder text = new StringBuilder();
		calls.asMap()
			.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.filter((entry) -> entry.getValue() / (double) jobs >= 0.05)
			.forEach((entry) -> text.append((text.length() > 0) ? ", " : "")
				.append(String.format(Locale.ROOT, "`%s` %.2f", entry.getKey().toUpperCase(Locale.ROOT),
						entry.getValue() / (double) jobs)));
		return text.toString();
	}

	private static void row(StringBuilder out, String what, double ours, double raw) {
		String line = String.format(Locale.ROOT, "| %s | %,.1f | %,.1f | %.2f× |%n", what, ours, raw, ours / raw);
		System.out.print(line);
		out.append(line);
	}

	private static double cpu(RedisCommands<String, String> commands) {
		double total = 0;
		for (String line : commands.info("cpu").split("\r?\n")) {
			if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
				total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return total;
	}

	private static long usedMemory(RedisCommands<String, String> commands) {
		for (String line : commands.info("memory").split("\r?\n")) {
			if (line.startsWith("used_memory:")) {
				return Long.parseLong(line.substring("used_memory:".length()).trim());
			}
		}
		return 0;
	}

	/**
	 * {@code MEMORY USAGE} of one waiting job's hash and the waiting structures' share per job, with their encodings:
	 * jobs of priority 0 wait in a list, others in a sorted set.
	 */
	private static String memoryBreakdown(RedisCommands<String, String> commands, String base) {
		String ready = base + ":ready";
		String wait = base + ":wait";
		boolean inList = commands.llen(ready) > 0;
		String waiting = inList ? ready : wait;
		// the first member of a paused queue's waiting set marks it paused; the second is a job (the list: a job)
		List<String> first = inList ? commands.lrange(ready, 0, 0) : commands.zrange(wait, 1, 1);
		if (first.isEmpty()) {
			return "";
		}
		String job = base + ":j:" + first.get(0);
		System.out.println("  a waiting job's hash: " + commands.hgetall(job));
		Long jobBytes = commands.memoryUsage(job);
		Long waitBytes = commands.memoryUsage(waiting);
		// a paused queue's list ends with the mark that sends takes to the sorted set (no job)
		long jobs = inList ? commands.llen(ready) - ("~p".equals(commands.lindex(ready, -1)) ? 1 : 0)
				: commands.zcard(wait) - 1;
		String line = String.format(Locale.ROOT,
				"|   of which (MEMORY USAGE): one job hash %d B (%s, %d fields), the waiting %s %.1f B per job (%s) | | | |%n",
				jobBytes, commands.objectEncoding(job), commands.hlen(job), inList ? "list" : "set",
				(double) waitBytes / jobs, commands.objectEncoding(waiting));
		System.out.print(line);
		return line;
	}

	private static long[] percentiles(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		sorted.sort(null);
		return new long[] { sorted.get(sorted.size() / 2), sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99)) };
	}

	private static void awaitHandled(String queue, long count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
		while (handled.getOrDefault(queue, new AtomicLong()).get() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(queue + ": only " + handled.get(queue) + " of " + count + " jobs handled");
			}
			Thread.sleep(2);
		}
	}

	private static double enqueueOurs(JobQueues jobs, String queue, int count, int producers) throws Exception {
		return parallel(producers, count, (i) -> jobs.enqueue(queue, new Job(0, 0, "someone@example.com", "Hello")));
	}

	private static double enqueueOursBatches(JobQueues jobs, String queue, int count) {
		long start = System.nanoTime();
		List<Job> batch = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			batch.add(new Job(0, 0, "someone@example.com", "Hello"));
		}
		for (int i = 0; i < count; i += 100) {
			List<JobId> ids = jobs.enqueueAll(queue, JobQueues.DEFAULT_NAME, batch, JobOptions.defaults());
			if (ids.size() != 100) {
				throw new IllegalStateException("batch not enqueued");
			}
		}
		return count / ((System.nanoTime() - start) / 1e9);
	}

	private static double enqueueRaw(RedisClient client, String key, int count, int producers) throws Exception {
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			return parallel(producers, count, (i) -> commands.lpush(key, payload()));
		}
	}

	private static double enqueueRawBatches(RedisCommands<String, String> commands, String key, int count) {
		long start = System.nanoTime();
		String[] values = new String[100];
		Arrays.fill(values, payload());
		for (int i = 0; i < count; i += 100) {
			commands.lpush(key, values);
		}
		return count / ((System.nanoTime() - start) / 1e9);
	}

	@FunctionalInterface
	interface Task {

		void run(int index) throws Exception;

	}

	private static double parallel(int threads, int count, Task task) throws Exception {
		AtomicLong names = new AtomicLong();
		// named so that a profile can tell the producers from Lettuce's and the workers' threads
		ExecutorService executor = Executors.newFixedThreadPool(threads,
				(runnable) -> new Thread(runnable, "producer-" + names.incrementAndGet()));
		AtomicLong next = new AtomicLong();
		CountDownLatch done = new CountDownLatch(threads);
		List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
		long start = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			executor.execute(() -> {
				try {
					long i;
					while ((i = next.getAndIncrement()) < count) {
						task.run((int) i);
					}
				}
				catch (Exception ex) {
					errors.add(ex);
				}
				finally {
					done.countDown();
				}
			});
		}
		done.await();
		double rate = count / ((System.nanoTime() - start) / 1e9);
		executor.shutdown();
		if (!errors.isEmpty()) {
			throw errors.get(0);
		}
		return rate;
	}

	/** The raw reliable-queue loop: each worker blocks on its own connection, moves a job, handles it, removes it. */
	private static double rawProcess(RedisClient client, RedisCommands<String, String> commands, String key, int count,
			int concurrency) throws Exception {
		String[] values = new String[100];
		Arrays.fill(values, payload());
		for (int i = 0; i < count; i += 100) {
			commands.lpush(key, values);
		}
		return rawWorkers(client, key, count, concurrency, null);
	}

	private static double rawWorkers(RedisClient client, String key, int count, int concurrency,
			java.util.function.@org.jspecify.annotations.Nullable Consumer<String> handler) throws Exception {
		AtomicLong done = new AtomicLong();
		List<Thread> threads = new ArrayList<>();
		List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
		long start = System.nanoTime();
		for (int t = 0; t < concurrency; t++) {
			Thread thread = new Thread(() -> {
				try (StatefulRedisConnection<String, String> connection = client.connect()) {
					RedisCommands<String, String> c = connection.sync();
					while (done.get() < count) {
						String job = c.blmove(key, key + ":processing", LMoveArgs.Builder.rightLeft(), 0.05);
						if (job == null) {
							continue;
						}
						if (handler != null) {
							handler.accept(job);
						}
						c.lrem(key + ":processing", 1, job);
						done.incrementAndGet();
					}
				}
				catch (Exception ex) {
					errors.add(ex);
				}
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		if (!errors.isEmpty()) {
			throw errors.get(0);
		}
		return count / ((System.nanoTime() - start) / 1e9);
	}

	private static double rawEnqueueAndProcess(RedisClient client, String key, int count, int producers, int concurrency)
			throws Exception {
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			long start = System.nanoTime();
			Thread producer = new Thread(() -> {
				try {
					parallel(producers, count, (i) -> commands.lpush(key, payload()));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			producer.start();
			rawWorkers(client, key, count, concurrency, null);
			producer.join();
			return count / ((System.nanoTime() - start) / 1e9);
		}
	}

	private static long[] rawLatency(RedisClient client, String key, int count) throws Exception {
		List<Long> values = java.util.Collections.synchronizedList(new ArrayList<>());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			Thread workers = new Thread(() -> {
				try {
					rawWorkers(client, key, count, 16,
							(job) -> values.add((System.nanoTime() - Long.parseLong(job)) / 1000));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			workers.start();
			for (int i = 0; i < count; i++) {
				commands.lpush(key, Long.toString(System.nanoTime()));
				if (i % 10 == 0) {
					Thread.sleep(1);
				}
			}
			workers.join();
		}
		return percentiles(values);
	}

}
