package io.redispatterns.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a save and a delete cost in Redis commands, and that the principal index, which a save
 * renews only now and then, never loses a session that is in use.
 */
@WithRedis
class SessionSaveCostTests {

	static StandaloneRedis redis;

	@Test
	void aRequestThatChangesOneAttributeRunsOneScriptAndLeavesTheIndexAlone() {
		SessionTestSupport.run(SessionTestSupport.runner(redis, SessionTestSupport.uniquePrefix()), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("olga");
			// a login writes with another script: the first update loads this one into the server (NOSCRIPT, EVAL)
			RedisPatternsSessionRepository.RedisPatternsSession first = f.repository.findById(session.getId());
			first.setAttribute("theme", "light");
			f.repository.save(first);
			RedisPatternsSessionRepository.RedisPatternsSession loaded = f.repository.findById(session.getId());
			loaded.setAttribute("theme", "dark");
			CommandCalls before = CommandCalls.of(redis.node());
			f.repository.save(loaded);
			CommandCalls save = CommandCalls.of(redis.node()).since(before).without("info");

			assertThat(save.asMap()).containsOnlyKeys("evalsha", "pexpire", "hset");
			assertThat(save.total()).isEqualTo(3);
			assertThat(f.repository.findById(session.getId()).<String>getAttribute("theme")).isEqualTo("dark");
			assertThat(f.repository.findByPrincipalName("olga")).containsOnlyKeys(session.getId());
		});
	}

	@Test
	void aLoginRunsTwoFlatScriptsTheNewHashWithItsExpiryAndTheIndexLease() {
		SessionTestSupport.run(SessionTestSupport.runner(redis, SessionTestSupport.uniquePrefix()), (f) -> {
			f.login("tess");
			CommandCalls before = CommandCalls.of(redis.node());
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("tess");
			CommandCalls login = CommandCalls.of(redis.node()).since(before).without("info");

			// every command a script runs costs Redis its arguments' trip into Lua and out: only what a login needs
			assertThat(login.asMap()).containsOnlyKeys("evalsha", "hset", "pexpire", "time", "zremrangebyscore", "zadd",
					"pexpireat");
			assertThat(login.get("evalsha")).isEqualTo(2);
			assertThat(login.total()).isEqualTo(8);
			assertThat(f.redis.getExpire(f.repository.sessionKey(session.getId()))).isPositive();
			assertThat(f.repository.findByPrincipalName("tess")).hasSize(2).containsKey(session.getId());
		});
	}

	@Test
	void deletingASessionRunsNoScriptOnlyTheHashReadDeleteAndOneIndexRemoval() {
		SessionTestSupport.run(SessionTestSupport.runner(redis, SessionTestSupport.uniquePrefix()), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("paul");
			RedisPatternsSessionRepository.RedisPatternsSession other = f.login("paul");
			f.repository.deleteById(f.login("paul").getId());
			CommandCalls before = CommandCalls.of(redis.node());
			f.repository.deleteById(session.getId());
			// a command on the same connection is answered after the removal sent without waiting
			f.redis.hasKey(f.repository.principalKey("paul"));
			CommandCalls delete = CommandCalls.of(redis.node()).since(before).without("info", "exists");

			// a script costs Redis several times the commands it runs (Lua call, replies converted): plain commands
			assertThat(delete.asMap()).containsOnlyKeys("hmget", "del", "zrem");
			assertThat(delete.total()).isEqualTo(3);
			assertThat(f.repository.findById(session.getId())).isNull();
			assertThat(f.redis.opsForZSet().range(f.repository.principalKey("paul"), 0, -1))
				.containsExactly(other.getId());
		});
	}

	@Test
	void findingAPrincipalsSessionsRunsNoScriptOnlyTheIndexReadAndTheHashReads() {
		SessionTestSupport.run(SessionTestSupport.runner(redis, SessionTestSupport.uniquePrefix()), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession first = f.login("sven");
			RedisPatternsSessionRepository.RedisPatternsSession second = f.login("sven");
			CommandCalls before = CommandCalls.of(redis.node());
			assertThat(f.repository.findByPrincipalName("sven")).containsOnlyKeys(first.getId(), second.getId());
			CommandCalls find = CommandCalls.of(redis.node()).since(before).without("info");

			// members whose lease ended point to hashes that are gone: the hash reads find and remove them
			assertThat(find.asMap()).containsOnlyKeys("zrange", "hgetall");
			assertThat(find.get("zrange")).isEqualTo(1);
			assertThat(find.get("hgetall")).isEqualTo(2);
		});
	}

	@Test
	void theIndexLeaseNeverEndsBeforeTheSessionWhileTheSessionIsUsed() {
		SessionTestSupport.run(SessionTestSupport.runner(redis, SessionTestSupport.uniquePrefix()), (f) -> {
			SteppingClock clock = new SteppingClock(Instant.now());
			RedisPatternsSessionRepository repository = new RedisPatternsSessionRepository(f.redis,
					f.context.getBean(RedisKeys.class), f.repository.codec(),
					f.repository.settings().withDefaultMaxInactiveInterval(Duration.ofMinutes(1))
						.withTouchInterval(Duration.ZERO),
					SessionMetrics.NONE, clock);
			RedisPatternsSessionRepository.RedisPatternsSession session = repository.createSession();
			session.setAttribute(org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
					"quinn");
			repository.save(session);
			String index = repository.principalKey("quinn");
			CommandCalls before = CommandCalls.of(redis.node());
			int saves = 24;
			for (int i = 0; i < saves; i++) {
				// seven seconds a request: the lease (renewed every 15 s of a 1-minute timeout) must keep up
				clock.advance(Duration.ofSeconds(7));
				RedisPatternsSessionRepository.RedisPatternsSession loaded = repository.findById(session.getId());
				loaded.setLastAccessedTime(clock.instant());
				loaded.setAttribute("step", i);
				repository.save(loaded);
				long hashExpiresAt = serverMillis(f) + f.redis.getExpire(repository.sessionKey(session.getId()),
						java.util.concurrent.TimeUnit.MILLISECONDS);
				Double lease = f.redis.opsForZSet().score(index, session.getId());
				assertThat(lease).as("lease after save %d", i).isNotNull();
				assertThat(lease.longValue()).as("lease after save %d", i).isGreaterThanOrEqualTo(hashExpiresAt);
			}
			long renewals = CommandCalls.of(redis.node()).since(before).get("zadd");
			assertThat(renewals).as("renewed about every other save, not on each").isBetween(9L, 15L);
		});
	}

	@Test
	void maxPerUserDoesNotCountASessionWhoseHashIsGoneWhileItsLeaseRuns() {
		SessionTestSupport.run(
				SessionTestSupport.runner(redis, SessionTestSupport.uniquePrefix(), "redis-patterns.session.max-per-user=2"),
				(f) -> {
					RedisPatternsSessionRepository.RedisPatternsSession older = f.login("rita");
					RedisPatternsSessionRepository.RedisPatternsSession newer = f.login("rita");
					f.redis.delete(f.repository.sessionKey(newer.getId()));
					RedisPatternsSessionRepository.RedisPatternsSession third = f.login("rita");

					assertThat(f.repository.findById(older.getId())).as("still within the limit").isNotNull();
					assertThat(f.revocations(RevocationReason.MAX_PER_USER)).isZero();
					assertThat(f.redis.opsForZSet().range(f.repository.principalKey("rita"), 0, -1))
						.containsExactlyInAnyOrder(older.getId(), third.getId());
				});
	}

	private static long serverMillis(SessionTestSupport.Fixture f) {
		Long time = f.redis.execute((RedisCallback<Long>) (connection) -> connection.serverCommands().time());
		return time;
	}

	/** A clock that moves only when told to. */
	private static final class SteppingClock extends Clock {

		private Instant now;

		SteppingClock(Instant start) {
			this.now = start;
		}

		void advance(Duration step) {
			this.now = this.now.plus(step);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
