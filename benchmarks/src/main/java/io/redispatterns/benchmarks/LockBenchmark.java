package io.redispatterns.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.function.IntFunction;

import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.StandaloneRedis;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Locks: uncontended acquire + release pairs (redis-patterns {@link LockTemplate}, Redisson
 * {@link RLock}, hand-rolled {@code SET NX PX} + compare-and-delete), and a contended hand-off of
 * one lock name between 8 threads (redis-patterns vs Redisson, both waking waiters with pub/sub).
 */
final class LockBenchmark {

	private static final long LEASE_MS = 30_000;

	static final int HANDOFF_THREADS = 8;

	static final int HANDOFF_ITERATIONS = Integer.getInteger("bench.handoff-iterations", 250);

	private static final RedisScript<Long> COMPARE_AND_DELETE = RedisScript.of(
			"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
			Long.class);

	private LockBenchmark() {
	}

	static String run(StandaloneRedis redis, CommandCounter counter) {
		StringBuilder out = new StringBuilder();
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			LockTemplate locks = context.getBean(LockTemplate.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			Config config = new Config();
			config.useSingleServer().setAddress(redis.node().uri());
			RedissonClient redisson = Redisson.create(config);
			try {
				out.append(Harness.ceilingTable(
						"Locks, uncontended acquire + release (each thread its own lock name, lease 30 s), ratio to the "
								+ "raw ceiling SET NX PX + compare-and-delete script",
						uncontended(locks, template, redisson,
								new RedisLockRegistry(template.getRequiredConnectionFactory(), "bench-si", LEASE_MS),
								counter)));
				out.append(contended(locks, template, redisson, counter));
			}
			finally {
				redisson.shutdown();
			}
		}
		return out.toString();
	}

	private static List<Harness.CeilingResult> uncontended(LockTemplate locks, StringRedisTemplate template,
			RedissonClient redisson, RedisLockRegistry registry, CommandCounter counter) {
		Duration lease = Duration.ofMillis(LEASE_MS);
		Harness.Case ceiling = new Harness.Case("ceiling: SET NX PX + Lua compare-and-delete", "", (thread) -> {
			String key = "bench-hand-" + thread;
			List<String> keys = List.of(key);
			return (i) -> {
				String token = UUID.randomUUID().toString();
				Boolean set = template.opsForValue().setIfAbsent(key, token, lease);
				if (!Boolean.TRUE.equals(set)) {
					return false;
				}
				Long deleted = template.execute(COMPARE_AND_DELETE, keys, token);
				return deleted != null && deleted == 1;
			};
		});
		List<Harness.Case> cases = List.of(new Harness.Case("redis-patterns LockTemplate.tryAcquire + release", "", (thread) -> {
			String name = "bench-rp-" + thread;
			return (i) -> {
				LockLease acquired = locks.tryAcquire(name, lease).orElse(null);
				return acquired != null && acquired.release();
			};
		}), new Harness.Case("Spring Integration RedisLockRegistry: obtain(name).tryLock() + unlock", "", (thread) -> {
			Lock lock = registry.obtain("bench-si-" + thread);
			return (i) -> {
				if (!lock.tryLock()) {
					return false;
				}
				lock.unlock();
				return true;
			};
		}), new Harness.Case("Redisson RLock.tryLock(0, lease) + unlock", "", (thread) -> {
			RLock lock = redisson.getLock("bench-redisson-" + thread);
			return (i) -> {
				if (!lock.tryLock(0, LEASE_MS, TimeUnit.MILLISECONDS)) {
					return false;
				}
				lock.unlock();
				return true;
			};
		}));
		return Harness.measureAgainstCeiling(ceiling, cases, counter);
	}

	/** A view of one lock name that a thread takes and gives back (the thread-bound API of each library). */
	private interface Handoff {

		void lock() throws Exception;

		void unlock();

	}

	private record Contended(String name, double seconds, long total, long expected, double handoffsPerSecond,
			double commandsPerHandoff, Map<String, Long> perCommand) {
	}

	private static String contended(LockTemplate locks, StringRedisTemplate template, RedissonClient redisson,
			CommandCounter counter) {
		IntFunction<Handoff> patterns = (thread) -> {
			Lock lock = locks.asLock("bench-contended-rp");
			return new Handoff() {
				@Override
				public void lock() {
					lock.lock();
				}

				@Override
				public void unlock() {
					lock.unlock();
				}
			};
		};
		IntFunction<Handoff> redissonLocks = (thread) -> {
			RLock lock = redisson.getLock("bench-contended-redisson");
			return new Handoff() {
				@Override
				public void lock() {
					lock.lock();
				}

				@Override
				public void unlock() {
					lock.unlock();
				}
			};
		};
		String patternsName = "redis-patterns LockTemplate.asLock(name): lock() / unlock()";
		String redissonName = "Redisson RLock: lock() / unlock()";
		List<List<Contended>> rounds = List.of(new ArrayList<>(), new ArrayList<>());
		for (int round = 0; round < Harness.ROUNDS; round++) {
			rounds.get(0).add(handoff(patternsName, template, counter, patterns, round == 0));
			rounds.get(1).add(handoff(redissonName, template, counter, redissonLocks, round == 0));
		}
		List<Contended> results = new ArrayList<>();
		for (List<Contended> perRound : rounds) {
			List<Contended> sorted = new ArrayList<>(perRound);
			sorted.sort(java.util.Comparator.comparingDouble(Contended::handoffsPerSecond));
			results.add(sorted.get(sorted.size() / 2));
		}
		StringBuilder out = new StringBuilder();
		out.append("\n### Locks, contended hand-off (").append(HANDOFF_THREADS).append(" threads × ")
			.append(HANDOFF_ITERATIONS)
			.append(" increments of one Redis counter, GET then SET, under one lock name)\n\n");
		out.append("| contender | total time | hand-offs/s | ratio | counter (expected) | commands per hand-off "
				+ "(incl. GET + SET of the counter) | commands per hand-off (INFO commandstats) | rounds, hand-offs/s |\n");
		out.append("| --- | ---: | ---: | ---: | --- | ---: | --- | --- |\n");
		Contended base = results.get(0);
		for (int r = 0; r < results.size(); r++) {
			Contended result = results.get(r);
			String perRound = String.join(" ", rounds.get(r).stream()
				.map((c) -> String.format(Locale.ROOT, "%,.0f", c.handoffsPerSecond()) + ((c.total() == c.expected()) ? "" : " (WRONG COUNT)"))
				.toList());
			List<String> parts = new ArrayList<>();
			result.perCommand().forEach((name, calls) -> parts
				.add(String.format(Locale.ROOT, "%s %.2f", name, (double) calls / result.expected())));
			out.append(String.format(Locale.ROOT, "| %s | %.2f s | %,.0f | %.2f | %d (%d) | %.2f | %s | %s |%n", result.name(),
					result.seconds(), result.handoffsPerSecond(), result.handoffsPerSecond() / base.handoffsPerSecond(),
					result.total(), result.expected(), result.commandsPerHandoff(), String.join(", ", parts), perRound));
		}
		out.append("\nMedian of " + Harness.ROUNDS + " rounds (alternating contenders). ratio = hand-offs/s ÷ redis-patterns hand-offs/s. Each thread has its own lock object for the "
				+ "same name, as separate instances would.\n");
		return out.toString();
	}

	private static Contended handoff(String name, StringRedisTemplate template, CommandCounter counter,
			IntFunction<Handoff> views, boolean warmUp) {
		System.out.printf("  %-40s", name);
		if (warmUp) {
			runHandoff(template, views, "bench-counter-" + UUID.randomUUID(), Math.max(1, HANDOFF_ITERATIONS / 10));
		}
		String measuredKey = "bench-counter-" + UUID.randomUUID();
		CommandCalls before = counter.commandStats();
		long started = System.nanoTime();
		runHandoff(template, views, measuredKey, HANDOFF_ITERATIONS);
		double seconds = (System.nanoTime() - started) / 1e9;
		CommandCalls perCommand = counter.commandStats().since(before);
		long expected = (long) HANDOFF_THREADS * HANDOFF_ITERATIONS;
		String value = template.opsForValue().get(measuredKey);
		long total = (value != null) ? Long.parseLong(value) : 0;
		System.out.printf(Locale.ROOT, " %.2f s, %,.0f hand-offs/s, counter %d of %d%n", seconds, expected / seconds, total,
				expected);
		return new Contended(name, seconds, total, expected, expected / seconds,
				(double) perCommand.total() / expected, perCommand.asMap());
	}

	private static void runHandoff(StringRedisTemplate template, IntFunction<Handoff> views, String counterKey,
			int iterations) {
		CountDownLatch go = new CountDownLatch(1);
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < HANDOFF_THREADS; t++) {
			Handoff view = views.apply(t);
			Thread worker = new Thread(() -> {
				try {
					go.await();
					for (int i = 0; i < iterations; i++) {
						view.lock();
						try {
							String value = template.opsForValue().get(counterKey);
							long next = ((value != null) ? Long.parseLong(value) : 0) + 1;
							template.opsForValue().set(counterKey, Long.toString(next));
						}
						finally {
							view.unlock();
						}
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "handoff-" + t);
			workers.add(worker);
			worker.start();
		}
		go.countDown();
		for (Thread worker : workers) {
			try {
				worker.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		Throwable error = failure.get();
		if (error != null) {
			throw new IllegalStateException("Hand-off failed", error);
		}
	}

}
