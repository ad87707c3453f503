package io.redispatterns.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Instant;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.StandaloneRedis;

/**
 * Runs the benchmarks against a redis-server started for the run and prints Markdown tables.
 * <p>
 * Argument: {@code ratelimit}, {@code ratelimit-ceiling}, {@code ratelimit-redis-cpu}, {@code lock-redis-cpu}, {@code locks}, {@code queue}, {@code cache-bulk}, {@code cache-near}, {@code cache-hit}, {@code sessions}, {@code streams}, {@code leaderboard}, {@code stream-publish}, {@code console} or {@code all} (the default). System properties:
 * {@code bench.rounds} (timed rounds, default 3), {@code bench.seconds} (seconds per round, default 3), {@code bench.warmup-seconds}
 * (default 3), {@code bench.count-ops} (operations counted under {@code MONITOR}, default 1000),
 * {@code bench.handoff-iterations} (per thread, default 250), {@code bench.stream-backlog} (default 20000),
 * {@code bench.stream-live-rate} (entries/s, default 1000), {@code bench.stream-live-count} (default 3000), {@code bench.console-requests} (timed requests per
 * console page, default 20), {@code bench.console-jobs} and {@code bench.console-entries} (default 100000),
 * {@code bench.paired-rounds} (default 200) and {@code bench.paired-block} (default 100) for {@code cache-hit}.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	/**
	 * Runs the benchmarks.
	 * @param args {@code ratelimit}, {@code ratelimit-ceiling}, {@code ratelimit-redis-cpu}, {@code lock-redis-cpu}, {@code locks}, {@code queue}, {@code cache-bulk}, {@code cache-near}, {@code cache-hit}, {@code sessions}, {@code streams}, {@code leaderboard}, {@code console} or {@code all}
	 */
	public static void main(String[] args) {
		String which = (args.length > 0) ? args[0] : "all";
		StringBuilder report = new StringBuilder();
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0)) {
			String version = redis.node().execute((commands) -> commands.info("server")).lines()
				.filter((line) -> line.startsWith("redis_version:")).findFirst().orElse("redis_version:?");
			report.append("Run at ").append(Instant.now()).append(", ")
				.append(version.replace("redis_version:", "redis-server ")).append(", Java ")
				.append(Runtime.version()).append(", ").append(Runtime.getRuntime().availableProcessors())
				.append(" CPUs, load average before the run ")
				.append(String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
				.append(", ").append(Harness.ROUNDS).append(" rounds of ").append(Harness.MEASURE.toSeconds())
				.append(" s per contender and thread count, round-robin over the contenders, after ")
				.append(Harness.WARM_UP.toSeconds()).append(" s warm-up\n");
			CommandCounter counter = new CommandCounter(redis.node());
			if (which.equals("all") || which.equals("ratelimit")) {
				System.out.println("Rate limiting");
				report.append(RateLimitBenchmark.run(redis, counter));
			}
			if (which.equals("all") || which.equals("ratelimit-ceiling")) {
				System.out.println("Rate limiting against its ceiling");
				report.append(RateLimitBenchmark.ceiling(redis, counter));
			}
			if (which.equals("ratelimit-redis-cpu")) {
				System.out.println("Rate limiting: Redis CPU per decision");
				report.append(RateLimitRedisCpu.run(redis));
			}
			if (which.equals("lock-redis-cpu")) {
				System.out.println("Locks: Redis CPU per acquire + release");
				report.append(LockRedisCpu.run(redis));
			}
			if (which.equals("all") || which.equals("queue")) {
				System.out.println("Job queue");
				try {
					report.append(QueueBenchmark.run(redis));
				}
				catch (Exception ex) {
					throw new IllegalStateException("Queue benchmark failed", ex);
				}
			}
			if (which.equals("all") || which.equals("locks")) {
				System.out.println("Locks");
				report.append(LockBenchmark.run(redis, counter));
			}
			if (which.equals("all") || which.equals("cache-bulk")) {
				System.out.println("Cache bulk reads");
				report.append(CacheBulkBenchmark.run(redis, counter));
			}
			if (which.equals("all") || which.equals("cache-near")) {
				System.out.println("Near cache hits");
				report.append(CacheNearBenchmark.run(redis, counter));
			}
			if (which.equals("cache-hit")) {
				System.out.println("Cache hit without near cache");
				report.append(CacheNearBenchmark.hit(redis, counter));
			}
			if (which.equals("all") || which.equals("sessions")) {
				System.out.println("Sessions");
				report.append(SessionBenchmark.run(redis, counter));
			}
			if (which.equals("all") || which.equals("leaderboard")) {
				System.out.println("Leaderboards");
				report.append(LeaderboardBenchmark.run(redis, counter));
			}
			if (which.equals("all") || which.equals("console")) {
				System.out.println("Operator console");
				report.append(ConsoleBenchmark.run(redis, counter));
			}
			if (which.equals("all") || which.equals("streams") || which.equals("stream-consume")) {
				System.out.println("Streams");
				report.append(StreamConsumeBenchmark.run(redis));
			}
			if (which.equals("all") || which.equals("streams") || which.equals("stream-publish")) {
				System.out.println("Stream publish");
				report.append(StreamPublishBenchmark.run(redis, counter));
			}
		}
		System.out.println();
		System.out.println(report);
	}

}
