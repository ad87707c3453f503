package io.redispatterns.session;

import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.SentinelRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@WithRedis(topology = RedisTopology.SENTINEL)
class SessionSentinelTests {

	static SentinelRedis sentinel;

	@Test
	void loginIdChangeListAndRevokeAllThroughSentinel() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(sentinel, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("sam");
			String oldId = session.getId();
			String newId = session.changeSessionId();
			f.repository.save(session);
			f.login("sam");
			assertThat(f.repository.findById(oldId)).isNull();
			assertThat(f.userSessions.list("sam")).hasSize(2);
			assertThat(f.userSessions.revokeAll("sam")).isEqualTo(2);
			assertThat(f.repository.findById(newId)).isNull();
			assertThat(f.redis.hasKey(f.repository.principalKey("sam"))).isFalse();
		});
	}

}
