package io.redispatterns.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.RefillRate;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * What one rate-limit decision costs Redis, as opposed to the client: for each script, on one
 * thread, {@code CONFIG RESETSTAT}, then {@code bench.cpu-ops} decisions, then {@code INFO
 * commandstats} ({@code usec_per_call} of {@code EVALSHA}, which includes the commands the script
 * ran, and those commands per call), {@code INFO cpu} (the server's user + system CPU per decision,
 * which also counts reading the request and writing the reply) and {@code INFO stats} (request and
 * reply bytes per decision). Nothing else talks to the server while a contender is measured. Each
 * contender is measured {@code bench.cpu-repeats} times, interleaved, and the median is reported.
 */
final class RateLimitRedisCpu {

	private static final int OPS = Integer.getInteger("bench.cpu-ops", 20_000);

	private static final int REPEATS = Integer.getInteger("bench.cpu-repeats", 3);

	private RateLimitRedisCpu() {
	}

	/** One repetition's numbers for one contender. */
	private record Sample(double usecPerCall, double cpuUsecPerOp, double inBytesPerOp, double outBytesPerOp,
			double opsPerSecond, Map<String, Double> commandsPerOp, long errors) {
	}

	static String run(StandaloneRedis redis) {
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			RateLimiter limiter = context.getBean(RateLimiter.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			Duration second = Duration.ofSeconds(1);
			limiter.updatePolicy(RateLimitPolicy.gcra("cpu-gcra", 1_000_000, second));
			limiter.updatePolicy(RateLimitPolicy.tokenBucket("cpu-bucket", 1_000_000, new RefillRate(1_000_000, second)));
			limiter.updatePolicy(RateLimitPolicy.slidingWindowCounter("cpu-sliding", 1_000_000, second));
			limiter.updatePolicy(RateLimitPolicy.fixedWindow("cpu-fixed", 1_000_000, second));
			limiter.updatePolicy(RateLimitPolicy.slidingWindow("cpu-log", 10_000, second));
			limiter.updatePolicy(RateLimitPolicy.gcra("cpu-gcra-reject", 10, Duration.ofHours(1)));
			RedisScript<Long> trivial = RedisScript.of("return 1", Long.class);
			Map<String, Harness.Op> contenders = new LinkedHashMap<>();
			List<String> trivialKeys = List.of("trivial:cpu");
			contenders.put("ceiling: EVALSHA of a trivial script (`return 1`)",
					(i) -> template.execute(trivial, trivialKeys) == 1L);
			contenders.put("redis-patterns gcra, 10^6/s (allowed)", (i) -> allowed(limiter.tryAcquire("cpu-gcra", "c")));
			contenders.put("redis-patterns token-bucket, 10^6/s (allowed)",
					(i) -> allowed(limiter.tryAcquire("cpu-bucket", "c")));
			contenders.put("redis-patterns sliding-window-counter, 10^6/s (allowed)",
					(i) -> allowed(limiter.tryAcquire("cpu-sliding", "c")));
			contenders.put("redis-patterns fixed-window, 10^6/s (allowed)",
					(i) -> allowed(limiter.tryAcquire("cpu-fixed", "c")));
			contenders.put("redis-patterns sliding-window (log), 10^4/s", (i) -> allowed(limiter.tryAcquire("cpu-log", "c")));
			contenders.put("redis-patterns gcra, 10 per hour (rejected)",
					(i) -> allowed(limiter.tryAcquire("cpu-gcra-reject", "c")));
			List<String> gatewayKeys = List.of("request_rate_limiter.{c}.tokens", "request_rate_limiter.{c}.timestamp");
			contenders.put("Spring Cloud Gateway request_rate_limiter.lua, 10^6/s", (i) -> {
				List<?> result = template.execute(RateLimitBenchmark.GATEWAY_SCRIPT, gatewayKeys, "1000000", "1000000",
						"", "1");
				return result != null && ((Long) result.get(0)) == 1L;
			});
			RedisClient client = RedisClient.create(redis.node().redisUri());
			try (StatefulRedisConnection<String, String> admin = client.connect()) {
				return measure(contenders, admin.sync());
			}
			finally {
				client.shutdown();
			}
		}
	}

	private static String measure(Map<String, Harness.Op> contenders, RedisCommands<String, String> admin) {
		Map<String, List<Sample>> samples = new LinkedHashMap<>();
		for (Map.Entry<String, Harness.Op> contender : contenders.entrySet()) {
			System.out.printf("  %-60s warm-up%n", contender.getKey());
			loop(contender.getValue(), Math.max(2_000, OPS / 4));
			samples.put(contender.getKey(), new ArrayList<>());
		}
		for (int repeat = 0; repeat < REPEATS; repeat++) {
			for (Map.Entry<String, Harness.Op> contender : contenders.entrySet()) {
				Sample sample = sample(contender.getValue(), admin);
				samples.get(contender.getKey()).add(sample);
				System.out.printf(Locale.ROOT, "  repeat %d: %-60s %.2f usec/call, %.2f usec CPU/op, %,.0f ops/s%n",
						repeat + 1, contender.getKey(), sample.usecPerCall(), sample.cpuUsecPerOp(), sample.opsPerSecond());
			}
		}
		return table(samples);
	}

	private static Sample sample(Harness.Op op, RedisCommands<String, String> admin) {
		admin.configResetstat();
		double cpuBefore = cpu(admin.info("cpu"));
		long start = System.nanoTime();
		long errors = loop(op, OPS);
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpuAfter = cpu(admin.info("cpu"));
		Map<String, String> stats = fields(admin.info("stats"));
		Map<String, String> commandStats = fields(admin.info("commandstats"));
		double usecPerCall = 0;
		Map<String, Double> perOp = new LinkedHashMap<>();
		for (Map.Entry<String, String> entry : commandStats.entrySet()) {
			String command = entry.getKey().replace("cmdstat_", "");
			if (command.equals("info") || command.equals("config")) {
				continue;
			}
			Map<String, String> values = values(entry.getValue());
			long calls = Long.parseLong(values.get("calls"));
			perOp.put(command, (double) calls / OPS);
			if (command.equals("evalsha")) {
				usecPerCall = Double.parseDouble(values.get("usec_per_call"));
			}
		}
		return new Sample(usecPerCall, (cpuAfter - cpuBefore) * 1e6 / OPS,
				Double.parseDouble(stats.get("total_net_input_bytes")) / OPS,
				Double.parseDouble(stats.get("total_net_output_bytes")) / OPS, OPS / seconds, perOp, errors);
	}

	private static long loop(Harness.Op op, int ops) {
		long errors = 0;
		for (long i = 0; i < ops; i++) {
			try {
				op.run(i);
			}
			catch (Exception ex) {
				errors++;
			}
		}
		return errors;
	}

	private static String table(Map<String, List<Sample>> samples) {
		StringBuilder out = new StringBuilder();
		out.append("\n### Rate-limit decision: Redis CPU per call (1 thread, ").append(String.format(Locale.ROOT, "%,d", OPS))
			.append(" calls per repeat, median of ").append(REPEATS).append(" repeats)\n\n");
		out.append("| script | EVALSHA usec_per_call | Redis CPU (user + sys) per call, usec | request / reply bytes "
				+ "| commands per call (INFO commandstats) | ops/s, 1 thread | usec_per_call per repeat | errors |\n");
		out.append("| --- | ---: | ---: | ---: | --- | ---: | --- | ---: |\n");
		for (Map.Entry<String, List<Sample>> entry : samples.entrySet()) {
			List<Sample> list = entry.getValue();
			Sample median = median(list, Comparator.comparingDouble(Sample::usecPerCall));
			List<String> perOp = new ArrayList<>();
			median.commandsPerOp().forEach((command, calls) -> perOp.add(String.format(Locale.ROOT, "%s %.2f", command, calls)));
			out.append(String.format(Locale.ROOT, "| %s | %.2f | %.1f | %.0f / %.0f | %s | %,.0f | %s | %d |%n", entry.getKey(),
					median.usecPerCall(), median(list, Comparator.comparingDouble(Sample::cpuUsecPerOp)).cpuUsecPerOp(),
					median.inBytesPerOp(), median.outBytesPerOp(), String.join(", ", perOp),
					median(list, Comparator.comparingDouble(Sample::opsPerSecond)).opsPerSecond(),
					String.join(" ", list.stream().map((s) -> String.format(Locale.ROOT, "%.2f", s.usecPerCall())).toList()),
					list.stream().mapToLong(Sample::errors).sum()));
		}
		out.append("\nusec_per_call: `INFO commandstats` of `evalsha` (the script's whole run, the commands it calls"
				+ " included). Redis CPU: `used_cpu_user` + `used_cpu_sys` of `INFO cpu` over the calls ÷ calls (also"
				+ " reading requests and writing replies). Bytes: `total_net_input_bytes` / `total_net_output_bytes` ÷ calls."
				+ " `CONFIG RESETSTAT` before each repeat.\n");
		return out.toString();
	}

	private static Sample median(List<Sample> samples, Comparator<Sample> order) {
		List<Sample> sorted = new ArrayList<>(samples);
		sorted.sort(order);
		return sorted.get(sorted.size() / 2);
	}

	private static double cpu(String info) {
		Map<String, String> fields = fields(info);
		return Double.parseDouble(fields.get("used_cpu_user")) + Double.parseDouble(fields.get("used_cpu_sys"));
	}

	private static Map<String, String> fields(String info) {
		Map<String, String> fields = new LinkedHashMap<>();
		info.lines().filter((line) -> line.indexOf(':') > 0 && !line.startsWith("#")).forEach((line) -> {
			int colon = line.indexOf(':');
			fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
		});
		return fields;
	}

	private static Map<String, String> values(String line) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String part : line.split(",")) {
			int equals = part.indexOf('=');
			if (equals > 0) {
				values.put(part.substring(0, equals), part.substring(equals + 1));
			}
		}
		return values;
	}

	private static boolean allowed(RateLimitDecision decision) {
		return switch (decision.outcome()) {
			case ALLOWED -> true;
			case REJECTED -> false;
			case DEGRADED, UNAVAILABLE -> throw new IllegalStateException("Decision without Redis: " + decision.outcome());
		};
	}

}
