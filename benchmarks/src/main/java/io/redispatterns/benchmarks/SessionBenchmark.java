package io.redispatterns.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * Sessions: {@code findById}, a request that changes one attribute, login + logout and finding a
 * principal's sessions, each against a raw-Lettuce ceiling (the commands the operation cannot do
 * without), next to Spring Session's {@code RedisSessionRepository} and
 * {@code RedisIndexedSessionRepository}. Every session holds a principal name and a cart attribute
 * of about 200 bytes of JSON; the memory per session is {@code MEMORY USAGE} of one session's keys.
 */
final class SessionBenchmark {

	private static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;


	private static final int SESSIONS_PER_PRINCIPAL = 5;

	private SessionBenchmark() {
	}

	static String run(StandaloneRedis redis, CommandCounter counter) {
		StringBuilder out = new StringBuilder();
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis);
				RedisClientHolder raw = new RedisClientHolder(redis)) {
			RedisPatternsSessionRepository ours = context.getBean(RedisPatternsSessionRepository.class);
			RedisTemplate<String, Object> template = springSessionTemplate(context.getBean(RedisConnectionFactory.class));
			RedisSessionRepository plain = new RedisSessionRepository(template);
			RedisIndexedSessionRepository indexed = new RedisIndexedSessionRepository(template);
			indexed.setRedisKeyNamespace("spring:session:indexed");
			Map<String, SessionRepository<? extends Session>> peers = new LinkedHashMap<>();
			peers.put("redis-patterns RedisPatternsSessionRepository", ours);
			peers.put("Spring Session RedisSessionRepository", plain);
			peers.put("Spring Session RedisIndexedSessionRepository", indexed);
			out.append(Harness.ceilingTable("Sessions, findById, ratio to the raw ceiling HGETALL",
					Harness.measureAgainstCeiling(findCeiling(ours, raw.async), cases(peers, SessionBenchmark::find),
							counter)));
			out.append(Harness.ceilingTable("Sessions, a request that changes one attribute (findById, set the "
					+ "last-access time and one attribute, save), ratio to the raw ceiling HGETALL, then HSET + PEXPIRE",
					Harness.measureAgainstCeiling(changeCeiling(ours, raw.async), cases(peers, SessionBenchmark::change),
							counter)));
			out.append(Harness.ceilingTable("Sessions, login + logout (create, set principal and cart, save, "
					+ "deleteById), ratio to the raw ceiling HSET + PEXPIRE + SADD, then DEL + SREM",
					Harness.measureAgainstCeiling(loginCeiling(raw.async), cases(peers, SessionBenchmark::login),
							counter)));
			Map<String, SessionRepository<? extends Session>> indexedPeers = new LinkedHashMap<>(peers);
			indexedPeers.remove("Spring Session RedisSessionRepository");
			out.append(Harness.ceilingTable("Sessions, find a principal's " + SESSIONS_PER_PRINCIPAL + " sessions, "
					+ "ratio to the raw ceiling SMEMBERS, then " + SESSIONS_PER_PRINCIPAL + " HGETALL",
					Harness.measureAgainstCeiling(principalCeiling(ours, raw.async),
							cases(indexedPeers, SessionBenchmark::byPrincipal), counter)));
			out.append(memory(ours, plain, indexed, raw.async));
		}
		return out.toString();
	}

	private static RedisTemplate<String, Object> springSessionTemplate(RedisConnectionFactory factory) {
		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setConnectionFactory(factory);
		template.setKeySerializer(RedisSerializer.string());
		template.setHashKeySerializer(RedisSerializer.string());
		template.afterPropertiesSet();
		return template;
	}

	@FunctionalInterface
	private interface OpFor {

		Harness.OpFactory ops(SessionRepository<Session> repository);

	}

	@SuppressWarnings("unchecked")
	private static List<Harness.Case> cases(Map<String, SessionRepository<? extends Session>> peers, OpFor op) {
		List<Harness.Case> cases = new ArrayList<>();
		peers.forEach((name, repository) -> cases
			.add(new Harness.Case(name, "", op.ops((SessionRepository<Session>) repository))));
		return cases;
	}

	private static Session login(SessionRepository<Session> repository, String principal) {
		Session session = repository.createSession();
		session.setAttribute(PRINCIPAL, principal);
		session.setAttribute("cart", cart());
		repository.save(session);
		return session;
	}

	/** A cart of JDK types only (the session codec's allow-list). */
	private static Map<String, Object> cart() {
		Map<String, Object> cart = new LinkedHashMap<>();
		cart.put("items", new ArrayList<>(
				List.of("book: The Pragmatic Programmer", "pen: blue, fine", "notebook: A5, dotted")));
		cart.put("total", 4711);
		cart.put("currency", "EUR");
		cart.put("coupon", "WINTER-2026");
		return cart;
	}

	private static Harness.OpFactory find(SessionRepository<Session> repository) {
		return (thread) -> {
			String id = login(repository, "find-" + thread).getId();
			return (i) -> repository.findById(id) != null;
		};
	}

	private static Harness.OpFactory change(SessionRepository<Session> repository) {
		return (thread) -> {
			String id = login(repository, "change-" + thread).getId();
			return (i) -> {
				Session session = repository.findById(id);
				if (session == null) {
					return false;
				}
				session.setLastAccessedTime(Instant.now());
				session.setAttribute("counter", i);
				repository.save(session);
				return true;
			};
		};
	}

	private static Harness.OpFactory login(SessionRepository<Session> repository) {
		return (thread) -> (i) -> {
			Session session = login(repository, "login-" + thread);
			repository.deleteById(session.getId());
			return true;
		};
	}

	private static Harness.OpFactory byPrincipal(SessionRepository<Session> repository) {
		FindByIndexNameSessionRepository<Session> finder = (FindByIndexNameSessionRepository<Session>) repository;
		return (thread) -> {
			String principal = "principal-" + thread + "-" + UUID.randomUUID();
			for (int n = 0; n < SESSIONS_PER_PRINCIPAL; n++) {
				login(repository, principal);
			}
			return (i) -> finder.findByPrincipalName(principal).size() == SESSIONS_PER_PRINCIPAL;
		};
	}

	private static Harness.Case findCeiling(RedisPatternsSessionRepository ours, RedisAsyncCommands<String, String> raw) {
		return new Harness.Case("ceiling: HGETALL", "", (thread) -> {
			String key = ours.sessionKey(login(cast(ours), "ceiling-find-" + thread).getId());
			return (i) -> !await(raw.hgetall(key)).isEmpty();
		});
	}

	private static Harness.Case changeCeiling(RedisPatternsSessionRepository ours,
			RedisAsyncCommands<String, String> raw) {
		return new Harness.Case("ceiling: HGETALL, then HSET + PEXPIRE", "", (thread) -> {
			String key = ours.sessionKey(login(cast(ours), "ceiling-change-" + thread).getId());
			return (i) -> {
				if (await(raw.hgetall(key)).isEmpty()) {
					return false;
				}
				RedisFuture<Long> set = raw.hset(key, Map.of("accessed", Long.toString(System.currentTimeMillis()),
						"attr:counter", Long.toString(i)));
				RedisFuture<Boolean> expire = raw.pexpire(key, 1_800_000);
				await(set);
				return await(expire);
			};
		});
	}

	private static Harness.Case loginCeiling(RedisAsyncCommands<String, String> raw) {
		String cart = "{\"@class\":\"java.util.LinkedHashMap\",\"items\":[\"java.util.ArrayList\",[\"book: The Pragmatic "
				+ "Programmer\",\"pen: blue, fine\",\"notebook: A5, dotted\"]],\"total\":4711,\"currency\":\"EUR\","
				+ "\"coupon\":\"WINTER-2026\"}";
		return new Harness.Case("ceiling: HSET + PEXPIRE + SADD, then DEL + SREM", "", (thread) -> {
			String index = "ceiling:principal:login-" + thread;
			return (i) -> {
				String id = UUID.randomUUID().toString();
				String key = "ceiling:session:" + id;
				Map<String, String> fields = new LinkedHashMap<>();
				fields.put("created", Long.toString(System.currentTimeMillis()));
				fields.put("accessed", Long.toString(System.currentTimeMillis()));
				fields.put("maxInactive", "1800");
				fields.put("principal", "login-" + thread);
				fields.put("attr:cart", cart);
				RedisFuture<Long> set = raw.hset(key, fields);
				RedisFuture<Boolean> expire = raw.pexpire(key, 1_800_000);
				RedisFuture<Long> add = raw.sadd(index, id);
				await(set);
				await(expire);
				await(add);
				RedisFuture<Long> delete = raw.del(key);
				RedisFuture<Long> remove = raw.srem(index, id);
				await(delete);
				return await(remove) == 1;
			};
		});
	}

	private static Harness.Case principalCeiling(RedisPatternsSessionRepository ours,
			RedisAsyncCommands<String, String> raw) {
		return new Harness.Case("ceiling: SMEMBERS, then " + SESSIONS_PER_PRINCIPAL + " HGETALL", "", (thread) -> {
			String index = "ceiling:principal:" + UUID.randomUUID();
			for (int n = 0; n < SESSIONS_PER_PRINCIPAL; n++) {
				await(raw.sadd(index, ours.sessionKey(login(cast(ours), "ceiling-principal-" + thread).getId())));
			}
			return (i) -> {
				List<RedisFuture<Map<String, String>>> reads = new ArrayList<>();
				for (String key : await(raw.smembers(index))) {
					reads.add(raw.hgetall(key));
				}
				int found = 0;
				for (RedisFuture<Map<String, String>> read : reads) {
					found += await(read).isEmpty() ? 0 : 1;
				}
				return found == SESSIONS_PER_PRINCIPAL;
			};
		});
	}

	private static String memory(RedisPatternsSessionRepository ours, RedisSessionRepository plain,
			RedisIndexedSessionRepository indexed, RedisAsyncCommands<String, String> raw) {
		StringBuilder out = new StringBuilder("\n### Sessions, memory per logged-in session (MEMORY USAGE, SAMPLES 0)\n\n");
		out.append("| repository | session keys | bytes | encoding of the session hash |\n| --- | --- | ---: | --- |\n");
		String id = login(cast(ours), "memory").getId();
		row(out, raw, "redis-patterns RedisPatternsSessionRepository", List.of(ours.sessionKey(id)));
		String plainId = login(cast(plain), "memory").getId();
		row(out, raw, "Spring Session RedisSessionRepository", List.of("spring:session:sessions:" + plainId));
		String indexedId = login(cast(indexed), "memory").getId();
		row(out, raw, "Spring Session RedisIndexedSessionRepository (hash only; it also writes expiry keys)",
				List.of("spring:session:indexed:sessions:" + indexedId));
		out.append("\nThe principal indexes are shared by a principal's sessions and not counted.\n");
		return out.toString();
	}

	private static void row(StringBuilder out, RedisAsyncCommands<String, String> raw, String name, List<String> keys) {
		long bytes = 0;
		for (String key : keys) {
			Long usage = await(raw.memoryUsage(key));
			bytes += (usage != null) ? usage : 0;
		}
		String encoding = await(raw.objectEncoding(keys.get(0)));
		out.append(String.format(Locale.ROOT, "| %s | %d | %,d | %s |%n", name, keys.size(), bytes, encoding));
	}

	@SuppressWarnings("unchecked")
	private static SessionRepository<Session> cast(SessionRepository<? extends Session> repository) {
		return (SessionRepository<Session>) repository;
	}

	private static <T> T await(RedisFuture<T> future) {
		try {
			return future.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A raw Lettuce connection for the ceilings, closed with the benchmark. */
	private static final class RedisClientHolder implements AutoCloseable {

		private final RedisClient client;

		private final StatefulRedisConnection<String, String> connection;

		final RedisAsyncCommands<String, String> async;

		RedisClientHolder(StandaloneRedis redis) {
			this.client = RedisClient.create(redis.node().redisUri());
			this.connection = this.client.connect();
			this.async = this.connection.async();
		}

		@Override
		public void close() {
			this.connection.close();
			this.client.shutdown();
		}

	}

}
