package io.redispatterns.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.Lock;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * What one uncontended lock acquire + release costs Redis, as opposed to the client. For each
 * contender, on one thread: {@code CONFIG RESETSTAT}, {@code bench.cpu-ops} acquisitions of distinct
 * lock names, {@code INFO commandstats} / {@code INFO cpu} / {@code INFO stats}; then the same for
 * the releases of those locks. So the acquire and the release script each get their own
 * {@code usec_per_call}, although both are {@code EVALSHA}. Every repeat (and the warm-up) uses the
 * same names, as an application locking the same resources again would: redis-patterns' release
 * markers (kept for the rest of the lease) are overwritten, not added, so the key space does not
 * grow during the measurement. Nothing else talks to the server while
 * a contender is measured; each contender is measured {@code bench.cpu-repeats} times, interleaved,
 * and the median is reported.
 */
final class LockRedisCpu {

	private static final int OPS = Integer.getInteger("bench.cpu-ops", 20_000);

	private static final int REPEATS = Integer.getInteger("bench.cpu-repeats", 3);

	private static final long LEASE_MS = 30_000;

	private static final RedisScript<Long> COMPARE_AND_DELETE = RedisScript.of(
			"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
			Long.class);

	private LockRedisCpu() {
	}

	/** Takes lock number {@code i} of a repeat and returns what releases it. */
	private interface Acquire {

		Release acquire(int repeat, int i);

	}

	/** Gives a lock back. */
	private interface Release {

		boolean release();

	}

	/** The server's counters over one phase (all acquisitions, or all releases) of one repeat. */
	private record Phase(double usecPerOp, double cpuUsecPerOp, double inBytesPerOp, double outBytesPerOp,
			Map<String, double[]> commands, long errors) {

		/** {@code commands}: name → {calls per op, usec_per_call}. */
		String commandList() {
			List<String> parts = new ArrayList<>();
			this.commands.forEach((name, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f × %.2f µs", name, v[0], v[1])));
			return String.join(", ", parts);
		}

	}

	private record Sample(Phase acquire, Phase release) {

		double usecPerOp() {
			return this.acquire.usecPerOp() + this.release.usecPerOp();
		}

	}

	static String run(StandaloneRedis redis) {
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			LockTemplate locks = context.getBean(LockTemplate.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			RedisLockRegistry registry = new RedisLockRegistry(template.getRequiredConnectionFactory(), "cpu-si",
					LEASE_MS);
			Duration lease = Duration.ofMillis(LEASE_MS);
			Map<String, Acquire> contenders = new LinkedHashMap<>();
			contenders.put("ceiling: SET NX PX + compare-and-delete script", (repeat, i) -> {
				String key = "cpu-hand-" + i;
				String token = UUID.randomUUID().toString();
				Boolean set = template.opsForValue().setIfAbsent(key, token, lease);
				if (!Boolean.TRUE.equals(set)) {
					throw new IllegalStateException("not acquired: " + key);
				}
				return () -> {
					Long deleted = template.execute(COMPARE_AND_DELETE, List.of(key), token);
					return deleted != null && deleted == 1L;
				};
			});
			contenders.put("redis-patterns LockTemplate.tryAcquire + release", (repeat, i) -> {
				LockLease acquired = locks.tryAcquire("cpu-rp-" + i, lease)
					.orElseThrow(() -> new IllegalStateException("not acquired"));
				return acquired::release;
			});
			contenders.put("Spring Integration RedisLockRegistry tryLock + unlock", (repeat, i) -> {
				Lock lock = registry.obtain("cpu-si-" + i);
				if (!lock.tryLock()) {
					throw new IllegalStateException("not acquired");
				}
				return () -> {
					lock.unlock();
					return true;
				};
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

	private static String measure(Map<String, Acquire> contenders, RedisCommands<String, String> admin) {
		Map<String, List<Sample>> samples = new LinkedHashMap<>();
		for (Map.Entry<String, Acquire> contender : contenders.entrySet()) {
			System.out.printf("  %-60s warm-up%n", contender.getKey());
			sample(contender.getValue(), admin, -1);
			samples.put(contender.getKey(), new ArrayList<>());
		}
		for (int repeat = 0; repeat < REPEATS; repeat++) {
			for (Map.Entry<String, Acquire> contender : contenders.entrySet()) {
				Sample sample = sample(contender.getValue(), admin, repeat);
				samples.get(contender.getKey()).add(sample);
				System.out.printf(Locale.ROOT, "  repeat %d: %-60s %.2f + %.2f usec/op (acquire + release)%n", repeat + 1,
						contender.getKey(), sample.acquire().usecPerOp(), sample.release().usecPerOp());
			}
		}
		return table(samples);
	}

	private static Sample sample(Acquire acquire, RedisCommands<String, String> admin, int repeat) {
		List<Release> releases = new ArrayList<>(OPS);
		long[] errors = { 0 };
		Phase acquired = phase(admin, () -> {
			for (int i = 0; i < OPS; i++) {
				try {
					releases.add(acquire.acquire(repeat, i));
				}
				catch (RuntimeException ex) {
					errors[0]++;
				}
			}
			return errors[0];
		});
		Phase released = phase(admin, () -> {
			long failed = 0;
			for (Release release : releases) {
				try {
					if (!release.release()) {
						failed++;
					}
				}
				catch (RuntimeException ex) {
					failed++;
				}
			}
			return failed;
		});
		return new Sample(acquired, released);
	}

	private interface Loop {

		long run();

	}

	private static Phase phase(RedisCommands<String, String> admin, Loop loop) {
		admin.configResetstat();
		double cpuBefore = cpu(admin.info("cpu"));
		long errors = loop.run();
		double cpuAfter = cpu(admin.info("cpu"));
		Map<String, String> stats = fields(admin.info("stats"));
		Map<String, String> commandStats = fields(admin.info("commandstats"));
		Map<String, double[]> commands = new LinkedHashMap<>();
		double usec = 0;
		for (Map.Entry<String, String> entry : commandStats.entrySet()) {
			String command = entry.getKey().replace("cmdstat_", "");
			if (command.equals("info") || command.startsWith("config")) {
				continue;
			}
			Map<String, String> values = values(entry.getValue());
			long calls = Long.parseLong(values.get("calls"));
			commands.put(command, new double[] { (double) calls / OPS, Double.parseDouble(values.get("usec_per_call")) });
			// The commands a script runs are counted on their own and inside the script's time.
			if (topLevel(command, commandStats)) {
				usec += Double.parseDouble(values.get("usec"));
			}
		}
		return new Phase(usec / OPS, (cpuAfter - cpuBefore) * 1e6 / OPS,
				Double.parseDouble(stats.get("total_net_input_bytes")) / OPS,
				Double.parseDouble(stats.get("total_net_output_bytes")) / OPS, commands, errors);
	}

	/**
	 * Whether a command's time counts on its own: with a script in the phase, the key commands are
	 * assumed to run inside it (true of every contender measured here except the ceiling's
	 * {@code SET}, which is the only command of its phase).
	 */
	private static boolean topLevel(String command, Map<String, String> commandStats) {
		boolean scripted = commandStats.containsKey("cmdstat_evalsha") || commandStats.containsKey("cmdstat_eval");
		return !scripted || command.equals("evalsha") || command.equals("eval");
	}

	private static String table(Map<String, List<Sample>> samples) {
		StringBuilder out = new StringBuilder();
		out.append("\n### Lock acquire + release: Redis time per operation (1 thread, ")
			.append(String.format(Locale.ROOT, "%,d", OPS))
			.append(" lock names (the same in every repeat), median of ")
			.append(REPEATS)
			.append(" repeats)\n\n");
		out.append("| contender | Redis µs per acquire + release | acquire: commands × usec_per_call | release: commands "
				+ "× usec_per_call | Redis CPU per op, µs | request / reply bytes | µs per repeat | errors |\n");
		out.append("| --- | ---: | --- | --- | ---: | ---: | --- | ---: |\n");
		for (Map.Entry<String, List<Sample>> entry : samples.entrySet()) {
			List<Sample> list = entry.getValue();
			List<Sample> sorted = new ArrayList<>(list);
			sorted.sort(Comparator.comparingDouble(Sample::usecPerOp));
			Sample median = sorted.get(sorted.size() / 2);
			List<Double> cpu = new ArrayList<>(
					list.stream().map((s) -> s.acquire().cpuUsecPerOp() + s.release().cpuUsecPerOp()).toList());
			cpu.sort(Comparator.naturalOrder());
			out.append(String.format(Locale.ROOT, "| %s | %.2f (%.2f + %.2f) | %s | %s | %.1f | %.0f / %.0f | %s | %d |%n",
					entry.getKey(), median.usecPerOp(), median.acquire().usecPerOp(), median.release().usecPerOp(),
					median.acquire().commandList(), median.release().commandList(), cpu.get(cpu.size() / 2),
					median.acquire().inBytesPerOp() + median.release().inBytesPerOp(),
					median.acquire().outBytesPerOp() + median.release().outBytesPerOp(),
					String.join(" ", list.stream().map((s) -> String.format(Locale.ROOT, "%.2f", s.usecPerOp())).toList()),
					list.stream().mapToLong((s) -> s.acquire().errors() + s.release().errors()).sum()));
		}
		out.append("\nRedis µs per op: `usec` of the top-level commands in `INFO commandstats` ÷ operations (a script's"
				+ " `EVALSHA` time includes the commands it runs, which are listed too but not added again). Acquire and"
				+ " release are measured as separate phases (`CONFIG RESETSTAT` before each), so each script has its own"
				+ " `usec_per_call`. Redis CPU: `used_cpu_user` + `used_cpu_sys` of `INFO cpu` ÷ operations (also reading"
				+ " requests and writing replies). Bytes: `total_net_input_bytes` / `total_net_output_bytes` ÷ operations.\n");
		return out.toString();
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

}
