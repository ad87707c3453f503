package io.redispatterns.session;

import java.util.Base64;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.crypto.autoconfigure.EncryptionAutoConfiguration;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.RedisDeployment;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session attributes named in {@code redis-patterns.session.encrypted-attributes}: unreadable in
 * Redis, dropped (never an error) when tampered with or moved, readable across a key rotation. Each
 * topology runs it (on Cluster a session's keys share a hash tag): see the subclasses.
 */
abstract class EncryptedSessionAttributeTests {

	protected abstract RedisDeployment deployment();

	static final String K1 = "redis-patterns.encryption.keys.k1=" + Base64.getEncoder().encodeToString(new byte[32]);

	static final String K2 = "redis-patterns.encryption.keys.k2="
			+ Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

	private ApplicationContextRunner runner(String prefix, String... properties) {
		return SessionTestSupport.runner(deployment(), prefix, "redis-patterns.session.encrypted-attributes=token")
			.withConfiguration(AutoConfigurations.of(EncryptionAutoConfiguration.class))
			.withPropertyValues(properties);
	}

	@Test
	void anEncryptedAttributeIsUnreadableInRedisAndReadsBack() {
		SessionTestSupport.run(runner(SessionTestSupport.uniquePrefix(), K1, "redis-patterns.encryption.active-key=k1"),
				(f) -> {
					RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
					session.setAttribute("token", "s3cr3t-refresh-token");
					session.setAttribute("theme", "dark");
					f.repository.save(session);

					String key = f.repository.sessionKey(session.getId());
					assertThat((String) f.redis.opsForHash().get(key, "attr:token")).startsWith("rpe1$k1$")
						.doesNotContain("s3cr3t");
					assertThat((String) f.redis.opsForHash().get(key, "attr:theme")).isEqualTo("\"dark\"");
					RedisPatternsSessionRepository.RedisPatternsSession found = f.repository.findById(session.getId());
					assertThat(found.<String>getAttribute("token")).isEqualTo("s3cr3t-refresh-token");
					assertThat(found.<String>getAttribute("theme")).isEqualTo("dark");
				});
	}

	@Test
	void aTamperedOrMovedValueIsDroppedCountedAndTheSessionKept() {
		SessionTestSupport.run(runner(SessionTestSupport.uniquePrefix(), K1, "redis-patterns.encryption.active-key=k1"),
				(f) -> {
					RedisPatternsSessionRepository.RedisPatternsSession session = f.login("uma");
					session.setAttribute("token", "uma's token");
					session.setAttribute("theme", "dark");
					f.repository.save(session);
					String key = f.repository.sessionKey(session.getId());
					String stored = (String) f.redis.opsForHash().get(key, "attr:token");
					// one character of the ciphertext changed (not the last: it may carry unused bits)
					int at = stored.length() - 8;
					f.redis.opsForHash().put(key, "attr:token", stored.substring(0, at)
							+ ((stored.charAt(at) == 'A') ? 'B' : 'A') + stored.substring(at + 1));

					RedisPatternsSessionRepository.RedisPatternsSession found = f.repository.findById(session.getId());
					assertThat(found).as("the session stays").isNotNull();
					assertThat(found.<String>getAttribute("token")).isNull();
					assertThat(found.<String>getAttribute("theme")).isEqualTo("dark");
					assertThat(dropped(f)).isEqualTo(1.0);
					f.repository.save(found);
					assertThat(f.redis.opsForHash().hasKey(key, "attr:token")).as("deleted by the next save").isFalse();
					assertThat(f.repository.findById(session.getId())).isNotNull();
					assertThat(dropped(f)).as("dropped once").isEqualTo(1.0);

					RedisPatternsSessionRepository.RedisPatternsSession other = f.login("vera");
					f.redis.opsForHash().put(f.repository.sessionKey(other.getId()), "attr:token", stored);
					assertThat(f.repository.findById(other.getId()).<String>getAttribute("token"))
						.as("a value copied from another session").isNull();
					assertThat(dropped(f)).isEqualTo(2.0);
					assertThat(f.context.getBeansOfType(PatternHealthDetails.class).values()
						.stream()
						.filter((details) -> details.patternName().equals("session"))
						.findFirst()
						.orElseThrow()
						.health()
						.getDetails()).containsEntry("droppedEncryptedAttributes", 2L);
				});
	}

	@Test
	void afterAKeyRotationOldValuesStillDecryptAndNewOnesUseTheNewKey() {
		String prefix = SessionTestSupport.uniquePrefix();
		String[] id = new String[1];
		SessionTestSupport.run(runner(prefix, K1, "redis-patterns.encryption.active-key=k1"), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
			session.setAttribute("token", "written with k1");
			f.repository.save(session);
			id[0] = session.getId();
		});
		SessionTestSupport.run(runner(prefix, K1, K2, "redis-patterns.encryption.active-key=k2"), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.findById(id[0]);
			assertThat(session.<String>getAttribute("token")).isEqualTo("written with k1");
			session.setAttribute("token", "written with k2");
			f.repository.save(session);
			assertThat((String) f.redis.opsForHash().get(f.repository.sessionKey(id[0]), "attr:token"))
				.startsWith("rpe1$k2$");
		});
		SessionTestSupport.run(runner(prefix, K2, "redis-patterns.encryption.active-key=k2"),
				(f) -> assertThat(f.repository.findById(id[0]).<String>getAttribute("token"))
					.as("k1 retired once its values are rewritten")
					.isEqualTo("written with k2"));
	}

	@Test
	void encryptedAttributesWithoutKeysFailStartUpNamingTheProperty() {
		runner(SessionTestSupport.uniquePrefix()).run((context) -> assertThat(context).getFailure()
			.rootCause()
			.isInstanceOf(InvalidRedisPatternsPropertyException.class)
			.hasMessageContaining("redis-patterns.session.encrypted-attributes"));
	}

	private static double dropped(SessionTestSupport.Fixture f) {
		return f.meters.counter("redis.patterns.session.dropped-attributes", "attribute", "token").count();
	}

}
