package io.redispatterns.session;

import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session that holds nothing costs Redis nothing, so traffic that never stores anything (crawlers,
 * probes, a flood of cookie-less requests) cannot grow Redis.
 */
@WithRedis
class EmptySessionTests {

	static StandaloneRedis redis;

	@Test
	void aNewSessionWithoutAttributesIsNotWritten() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			for (int i = 0; i < 100; i++) {
				RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
				f.repository.save(session);
				assertThat(f.repository.findById(session.getId())).isNull();
			}
			assertThat(f.redis.keys(prefix + ":*")).isEmpty();
		});
	}

	@Test
	void aNewSessionIsWrittenOnceSomethingIsStoredInIt() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
			f.repository.save(session);
			session.setAttribute("theme", "dark");
			f.repository.save(session);
			RedisPatternsSessionRepository.RedisPatternsSession found = f.repository.findById(session.getId());
			assertThat(found).isNotNull();
			assertThat(found.<String>getAttribute("theme")).isEqualTo("dark");
		});
	}

	@Test
	void withImmediateFlushTheFirstAttributeWritesTheSession() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix, "spring.session.data.redis.flush-mode=immediate"),
				(f) -> {
					RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
					assertThat(f.repository.findById(session.getId())).isNull();
					session.setAttribute("theme", "dark");
					assertThat(f.repository.findById(session.getId())).isNotNull();
				});
	}

}
