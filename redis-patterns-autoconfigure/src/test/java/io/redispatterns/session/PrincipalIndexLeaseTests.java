package io.redispatterns.session;

import java.time.Duration;
import java.util.List;

import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.session.FindByIndexNameSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The principal index written by a login: bounded by the leases that still run (ended ones are pruned by every
 * index write, without any read of the sessions), and expiring with its longest lease, whatever the order in which
 * sessions of different idle timeouts logged in.
 */
@WithRedis
class PrincipalIndexLeaseTests {

	static StandaloneRedis redis;

	@Test
	void aLoginPrunesEveryMemberWhoseLeaseEndedSoTheIndexHoldsOnlyRunningLeases() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession first = f.login("vera");
			String index = f.repository.principalKey("vera");
			long ended = serverMillis(f) - 1;
			for (int i = 0; i < 50; i++) {
				// sessions that expired without a logout and whose leases ended; nobody listed them since
				f.redis.opsForZSet().add(index, "ended-" + i, ended - i);
			}
			RedisPatternsSessionRepository.RedisPatternsSession second = f.login("vera");

			assertThat(f.redis.opsForZSet().range(index, 0, -1)).containsExactlyInAnyOrder(first.getId(),
					second.getId());
		});
	}

	@Test
	void theIndexExpiresWithItsLongestLeaseWhicheverSessionLoggedInLast() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			String index = f.repository.principalKey("wanda");
			RedisPatternsSessionRepository.RedisPatternsSession shortLived = login(f, "wanda", Duration.ofMinutes(1));
			assertThat(expiresAt(f, index)).as("a new index expires a second after its only lease")
				.isEqualTo(lease(f, index, shortLived) + 1000);

			RedisPatternsSessionRepository.RedisPatternsSession longLived = login(f, "wanda", Duration.ofHours(2));
			assertThat(expiresAt(f, index)).as("a longer lease moves the expiry")
				.isEqualTo(lease(f, index, longLived) + 1000);

			login(f, "wanda", Duration.ofMinutes(1));
			assertThat(expiresAt(f, index)).as("a shorter lease written later does not shorten it")
				.isEqualTo(lease(f, index, longLived) + 1000);
			assertThat(f.redis.opsForZSet().size(index)).isEqualTo(3);
		});
	}

	private static RedisPatternsSessionRepository.RedisPatternsSession login(SessionTestSupport.Fixture f,
			String principal, Duration maxInactive) {
		RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
		session.setMaxInactiveInterval(maxInactive);
		session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, principal);
		f.repository.save(session);
		return session;
	}

	private static long lease(SessionTestSupport.Fixture f, String index,
			RedisPatternsSessionRepository.RedisPatternsSession session) {
		Double score = f.redis.opsForZSet().score(index, session.getId());
		assertThat(score).as("lease of %s", session.getId()).isNotNull();
		return score.longValue();
	}

	/** The index's expiry as an epoch millisecond, exactly ({@code PEXPIRETIME}); -1 when it has none. */
	private static long expiresAt(SessionTestSupport.Fixture f, String key) {
		Long at = f.redis.execute(new DefaultRedisScript<>("return redis.call('PEXPIRETIME', KEYS[1])", Long.class),
				List.of(key));
		assertThat(at).isNotNull();
		return at;
	}

	private static long serverMillis(SessionTestSupport.Fixture f) {
		Long time = f.redis.execute((RedisCallback<Long>) (connection) -> connection.serverCommands().time());
		assertThat(time).isNotNull();
		return time;
	}

}
