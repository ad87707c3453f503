package io.redispatterns.session;

import java.time.Duration;
import java.util.UUID;

import io.lettuce.core.AclCategory;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.session.FindByIndexNameSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Runs the session repository as an ACL user that may touch only its key prefix and may not run
 * CONFIG or any other dangerous command, as on managed Redis services.
 */
@WithRedis
class SessionAclTests {

	static StandaloneRedis redis;

	@Test
	void everythingWorksForAnAclUserWithoutConfigLimitedToThePrefix() {
		String prefix = SessionTestSupport.uniquePrefix();
		String user = "app-" + prefix;
		String password = UUID.randomUUID().toString();
		redis.node()
			.commands((commands) -> commands.aclSetuser(user, AclSetuserArgs.Builder.on()
				.addPassword(password)
				.keyPattern(prefix + ":*")
				.allCommands()
				.removeCategory(AclCategory.DANGEROUS)));
		ApplicationContextRunner runner = SessionTestSupport.runner(() -> aclDetails(user, password), prefix,
				"spring.session.timeout=2s", "redis-patterns.session.touch-interval=0s",
				"redis-patterns.session.max-per-user=2");
		SessionTestSupport.run(runner, (f) -> {
			StringRedisTemplate template = new StringRedisTemplate(f.context.getBean(RedisConnectionFactory.class));
			assertThatExceptionOfType(DataAccessException.class).as("the user may not run CONFIG")
				.isThrownBy(() -> template.execute(
						(RedisCallback<Object>) (connection) -> connection.serverCommands().getConfig("*")));
			assertThatExceptionOfType(DataAccessException.class).as("the user may not write outside its prefix")
				.isThrownBy(() -> template.opsForValue().set("elsewhere", "x"));

			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("pia");
			String newId = session.changeSessionId();
			f.repository.save(session);
			f.login("pia");
			f.login("pia");
			assertThat(f.repository.findById(newId)).as("evicted beyond max-per-user").isNull();
			assertThat(f.userSessions.list("pia")).hasSize(2);
			assertThat(f.userSessions.revokeAll("pia")).isEqualTo(2);
			RedisPatternsSessionRepository.RedisPatternsSession expiring = f.login("pia");
			await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> f.repository.findById(expiring.getId()) == null);
			assertThat(f.repository.findByPrincipalName("pia")).isEmpty();
		});
	}

	/**
	 * An index entry is removed only after its session hash is deleted. The ACL user may not DEL the
	 * older session's hash (a selector still lets it DEL the new one, which saving needs), so evicting
	 * and revoking the older session fail: it must stay listed and revocable, and the login that
	 * tried to evict it must succeed.
	 */
	@Test
	void aSessionWhoseHashCouldNotBeDeletedStaysIndexedAndTheLoginSucceeds() {
		String prefix = SessionTestSupport.uniquePrefix();
		String user = "app-" + prefix;
		String password = UUID.randomUUID().toString();
		redis.node()
			.commands((commands) -> commands.aclSetuser(user, AclSetuserArgs.Builder.on()
				.addPassword(password)
				.keyPattern(prefix + ":*")
				.allCommands()
				.removeCategory(AclCategory.DANGEROUS)));
		ApplicationContextRunner runner = SessionTestSupport.runner(() -> aclDetails(user, password), prefix,
				"redis-patterns.session.max-per-user=1");
		SessionTestSupport.run(runner, (f) -> {
			String index = prefix + ":session:principal:zoe";
			RedisPatternsSessionRepository.RedisPatternsSession first = f.login("zoe");
			RedisPatternsSessionRepository.RedisPatternsSession second = f.repository.createSession();
			aclSetuser(user, "-del", "(+del ~" + f.repository.sessionKey(second.getId()) + ")");

			second.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "zoe");
			f.repository.save(second);
			assertThat(f.meters.counter("redis.patterns.session.eviction-failures").count()).isEqualTo(1.0);
			assertThat(f.revocations(RevocationReason.MAX_PER_USER)).isZero();
			assertThat(f.repository.findById(first.getId())).as("not evicted").isNotNull();
			assertThat(f.repository.findByPrincipalName("zoe")).as("so still listed")
				.containsOnlyKeys(first.getId(), second.getId());

			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> f.userSessions.revokeAll("zoe"));
			assertThat(f.repository.findById(first.getId())).isNotNull();
			assertThat(f.redis.opsForZSet().score(index, first.getId())).as("a session the revocation left working")
				.isNotNull();

			aclSetuser(user, "+del");
			RedisPatternsSessionRepository.RedisPatternsSession third = f.login("zoe");
			assertThat(f.repository.findById(first.getId())).as("evicted by the next login").isNull();
			assertThat(f.revocations(RevocationReason.MAX_PER_USER)).isEqualTo(1.0);
			assertThat(f.redis.opsForZSet().range(index, 0, -1)).containsExactly(third.getId());
		});
	}

	private static void aclSetuser(String user, String... rules) {
		CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user);
		for (String rule : rules) {
			args.add(rule);
		}
		redis.node()
			.commands((commands) -> commands.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args));
	}

	private DataRedisConnectionDetails aclDetails(String user,
			String password) {
		DataRedisConnectionDetails.Standalone standalone = redis
			.connectionDetails()
			.getStandalone();
		return new DataRedisConnectionDetails() {

			@Override
			public String getUsername() {
				return user;
			}

			@Override
			public String getPassword() {
				return password;
			}

			@Override
			public Standalone getStandalone() {
				return standalone;
			}

		};
	}

}
