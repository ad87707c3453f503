package io.redispatterns.benchmarks;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.session.FindByIndexNameSessionRepository;

/**
 * Session operations against their raw ceilings, one thread, <b>interleaved per operation</b> (each repetition runs
 * ours and then the raw commands), reporting latency percentiles per pass: on a shared machine whose load moves
 * from one second to the next, per-operation interleaving compares like with like, and the later passes show the
 * warmed-up (JIT-compiled) cost. Run with {@code exec:java -Dexec.mainClass=io.redispatterns.benchmarks.SessionProbe}.
 */
public final class SessionProbe {

	private SessionProbe() {
	}

	public static void main(String[] args) {
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0);
				ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			RedisPatternsSessionRepository repo = context.getBean(RedisPatternsSessionRepository.class);
			var s = repo.createSession();
			s.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "probe");
			s.setAttribute("cart", new java.util.HashMap<>(Map.of("a", 1)));
			repo.save(s);
			String id = s.getId();
			int n = 3000;
			io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.node().redisUri());
			var raw = client.connect().async();
			String key = repo.sessionKey(id);
			String principal = "probe-principal-" + java.util.UUID.randomUUID();
			java.util.List<String> principalKeys = new java.util.ArrayList<>();
			for (int k = 0; k < 5; k++) {
				var member = repo.createSession();
				member.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, principal);
				member.setAttribute("cart", new java.util.HashMap<>(Map.of("a", 1)));
				repo.save(member);
				principalKeys.add(repo.sessionKey(member.getId()));
			}
			try {
				raw.sadd("ceiling:index:" + principal, principalKeys.toArray(String[]::new)).get();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			for (int pass = 0; pass < 4; pass++) {
				long[] rawChange = new long[n];
				long[] rawLogin = new long[n];
				long[] byPrincipal = new long[n];
				long[] rawByPrincipal = new long[n];
				long[] find = new long[n];
				long[] save = new long[n];
				long[] login = new long[n];
				for (int i = 0; i < n; i++) {
					long t0 = System.nanoTime();
					var session = repo.findById(id);
					long t1 = System.nanoTime();
					session.setLastAccessedTime(Instant.now());
					session.setAttribute("counter", i);
					repo.save(session);
					long t2 = System.nanoTime();
					var created = repo.createSession();
					created.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "probe-login");
					created.setAttribute("cart", new java.util.HashMap<>(Map.of("a", 1)));
					repo.save(created);
					repo.deleteById(created.getId());
					long t3 = System.nanoTime();
					long t4 = System.nanoTime();
					try {
						raw.hgetall(key).get();
						var set = raw.hset(key, Map.of("accessed", Long.toString(System.currentTimeMillis()), "attr:counter", Long.toString(i)));
						var exp = raw.pexpire(key, 1_800_000);
						set.get();
						exp.get();
						long t5 = System.nanoTime();
						String rid = java.util.UUID.randomUUID().toString();
						var f1 = raw.hset("ceiling:session:" + rid, Map.of("created", "1", "accessed", "1", "maxInactive", "1800", "principal", "p", "attr:cart", "{\"a\":1}"));
						var f2 = raw.pexpire("ceiling:session:" + rid, 1_800_000);
						var f3 = raw.sadd("ceiling:principal:p", rid);
						f1.get(); f2.get(); f3.get();
						var f4 = raw.del("ceiling:session:" + rid);
						var f5 = raw.srem("ceiling:principal:p", rid);
						f4.get(); f5.get();
						long t6 = System.nanoTime();
						long t7 = System.nanoTime();
						if (repo.findByPrincipalName(principal).size() != 5) {
							throw new IllegalStateException("principal's sessions missing");
						}
						long t8 = System.nanoTime();
						var reads = new java.util.ArrayList<io.lettuce.core.RedisFuture<Map<String, String>>>();
						for (String member : raw.smembers("ceiling:index:" + principal).get()) {
							reads.add(raw.hgetall(member));
						}
						for (var read : reads) {
							read.get();
						}
						long t9 = System.nanoTime();
						byPrincipal[i] = t8 - t7;
						rawByPrincipal[i] = t9 - t8;
						rawChange[i] = t5 - t4;
						rawLogin[i] = t6 - t5;
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
					find[i] = t1 - t0;
					save[i] = t2 - t1;
					login[i] = t3 - t2;
				}
				long[] change = new long[n];
				for (int i = 0; i < n; i++) {
					change[i] = find[i] + save[i];
				}
				System.out.printf(java.util.Locale.ROOT, "pass %d: findById %s, save %s; change %s, raw %s (p50 ratio %.2f); login+logout %s, raw %s "
						+ "(p50 ratio %.2f); by principal %s, raw %s (p50 ratio %.2f)%n", pass, p(find), p(save), p(change),
						p(rawChange), ratio(rawChange, change), p(login), p(rawLogin), ratio(rawLogin, login), p(byPrincipal),
						p(rawByPrincipal), ratio(rawByPrincipal, byPrincipal));
			}
			costs(repo, raw, principal, principalKeys.size());
		}
	}

	/**
	 * Where the time of login + logout and of find by principal goes, ours against the raw ceiling, each run alone
	 * 3,000 times after the passes above: Redis CPU per operation (the {@code usec} of {@code INFO commandstats},
	 * script commands included, after {@code CONFIG RESETSTAT}), commands per operation and this JVM's CPU time per
	 * operation (every thread, client I/O included): costs that, unlike latency, a loaded machine barely moves.
	 */
	private static void costs(RedisPatternsSessionRepository repo, RedisAsyncCommands<String, String> raw,
			String principal, int sessions) {
		int n = 3000;
		for (int run = 0; run < 2; run++) {
			cost("login + logout, redis-patterns", n, raw, () -> {
				var created = repo.createSession();
				created.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "probe-login");
				created.setAttribute("cart", new java.util.HashMap<>(Map.of("a", 1)));
				repo.save(created);
				repo.deleteById(created.getId());
			});
			cost("login + logout, ceiling (HSET + PEXPIRE + SADD, then DEL + SREM)", n, raw, () -> {
				String rid = java.util.UUID.randomUUID().toString();
				var f1 = raw.hset("ceiling:session:" + rid, Map.of("created", "1", "accessed", "1", "maxInactive",
						"1800", "principal", "p", "attr:cart", "{\"a\":1}"));
				var f2 = raw.pexpire("ceiling:session:" + rid, 1_800_000);
				var f3 = raw.sadd("ceiling:principal:p", rid);
				await(f1, f2, f3);
				await(raw.del("ceiling:session:" + rid), raw.srem("ceiling:principal:p", rid));
			});
			cost("find by principal (" + sessions + " sessions), redis-patterns", n, raw, () -> {
				if (repo.findByPrincipalName(principal).size() != sessions) {
					throw new IllegalStateException("principal's sessions missing");
				}
			});
			cost("find by principal, ceiling (SMEMBERS, then HGETALL each)", n, raw, () -> {
				var reads = new java.util.ArrayList<io.lettuce.core.RedisFuture<Map<String, String>>>();
				try {
					for (String member : raw.smembers("ceiling:index:" + principal).get()) {
						reads.add(raw.hgetall(member));
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				await(reads.toArray(io.lettuce.core.RedisFuture[]::new));
			});
		}
	}

	private static void cost(String label, int n, RedisAsyncCommands<String, String> raw, Runnable operation) {
		await(raw.configResetstat());
		long cpu = StreamConsumeBenchmark.processCpuNanos();
		long start = System.nanoTime();
		for (int i = 0; i < n; i++) {
			operation.run();
		}
		long wall = System.nanoTime() - start;
		cpu = StreamConsumeBenchmark.processCpuNanos() - cpu;
		String info;
		try {
			info = raw.info("commandstats").get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		long usec = 0;
		long calls = 0;
		java.util.Map<String, String> perCommand = new java.util.TreeMap<>();
		for (String line : info.split("\r?\n")) {
			if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:")
					|| line.startsWith("cmdstat_config")) {
				continue;
			}
			String name = line.substring("cmdstat_".length(), line.indexOf(':'));
			long lineCalls = field(line, "calls=");
			long lineUsec = field(line, "usec=");
			calls += lineCalls;
			usec += lineUsec;
			perCommand.put(name, String.format(java.util.Locale.ROOT, "%.2f calls %.2f µs", (double) lineCalls / n,
					(double) lineUsec / n));
		}
		System.out.printf(java.util.Locale.ROOT,
				"cost: %s: Redis usec summed over commands %.1f µs/op (a script's commands count in its EVALSHA and again"
						+ " on their own; %.1f commands/op), JVM CPU %.1f µs/op, wall %.1f µs/op, per op %s%n",
				label,
				(double) usec / n, (double) calls / n, cpu / 1e3 / n, wall / 1e3 / n, perCommand);
	}

	private static long field(String line, String name) {
		int at = line.indexOf(name) + name.length();
		int end = line.indexOf(',', at);
		return Long.parseLong(line.substring(at, (end < 0) ? line.length() : end));
	}

	private static void await(io.lettuce.core.RedisFuture<?>... futures) {
		try {
			for (var future : futures) {
				future.get();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Ceiling's median latency ÷ ours: the throughput ratio of one thread. */
	private static double ratio(long[] ceiling, long[] ours) {
		return median(ceiling) / median(ours);
	}

	private static double median(long[] v) {
		long[] s = v.clone();
		Arrays.sort(s);
		return s[s.length / 2];
	}

	private static String p(long[] v) {
		long[] s = v.clone();
		Arrays.sort(s);
		return String.format(java.util.Locale.ROOT, "p50 %.3f ms p90 %.3f ms", s[s.length / 2] / 1e6, s[(int) (s.length * 0.9)] / 1e6);
	}

}
