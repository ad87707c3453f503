package io.redispatterns.session;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.session.FlushMode;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SaveMode;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

@WithRedis
class SessionAutoConfigurationTests {

	static StandaloneRedis redis;

	@Test
	void providesTheRepositoryAndUserSessions() {
		SessionTestSupport.runner(redis, "ac").run((context) -> {
			assertThat(context).hasSingleBean(RedisPatternsSessionRepository.class).hasSingleBean(UserSessions.class);
			SessionSettings settings = context.getBean(RedisPatternsSessionRepository.class).settings();
			assertThat(settings.defaultMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(30));
			assertThat(settings.flushMode()).isEqualTo(FlushMode.ON_SAVE);
			assertThat(settings.saveMode()).isEqualTo(SaveMode.ON_SET_ATTRIBUTE);
			assertThat(settings.maxPerUser()).isZero();
			assertThat(settings.absoluteTimeout()).isNull();
		});
	}

	@Test
	void bindsSpringSessionAndRedisPatternsProperties() {
		SessionTestSupport
			.runner(redis, "ac", "server.servlet.session.timeout=12m", "spring.session.data.redis.save-mode=on-get-attribute",
					"redis-patterns.session.max-per-user=3", "redis-patterns.session.absolute-timeout=8h",
					"redis-patterns.session.touch-interval=10s")
			.run((context) -> {
				SessionSettings settings = context.getBean(RedisPatternsSessionRepository.class).settings();
				assertThat(settings.defaultMaxInactiveInterval()).as("falls back to server.servlet.session.timeout")
					.isEqualTo(Duration.ofMinutes(12));
				assertThat(settings.saveMode()).isEqualTo(SaveMode.ON_GET_ATTRIBUTE);
				assertThat(settings.maxPerUser()).isEqualTo(3);
				assertThat(settings.absoluteTimeout()).isEqualTo(Duration.ofHours(8));
				assertThat(settings.touchInterval()).isEqualTo(Duration.ofSeconds(10));
			});
	}

	@Test
	void backsOffWhenTheApplicationDefinesASessionRepository() {
		SessionTestSupport.runner(redis, "ac")
			.withBean("mySessions", SessionRepository.class, () -> new MapSessionRepository(new ConcurrentHashMap<>()))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RedisPatternsSessionRepository.class).doesNotHaveBean(UserSessions.class);
				assertThat(context).hasSingleBean(SessionRepository.class);
			});
	}

	@Test
	void backsOffWhenTheApplicationDefinesUserSessions() {
		UserSessions audited = new UserSessions() {
			@Override
			public List<SessionInfo> list(String principalName, @Nullable String currentSessionId) {
				return List.of();
			}

			@Override
			public boolean revoke(String principalName, String idHash) {
				return false;
			}

			@Override
			public int revokeAllExcept(String principalName, @Nullable String keptSessionId) {
				return 0;
			}
		};
		SessionTestSupport.runner(redis, "ac").withBean("auditedUserSessions", UserSessions.class, () -> audited).run((context) -> {
			assertThat(context).hasSingleBean(RedisPatternsSessionRepository.class).hasSingleBean(UserSessions.class);
			assertThat(context.getBean(UserSessions.class)).isSameAs(audited);
		});
	}

	@Test
	void canBeTurnedOff() {
		SessionTestSupport.runner(redis, "ac", "redis-patterns.session.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionRepository.class));
	}

	@Test
	void staysAwayWithoutSpringSessionDataRedis() {
		SessionTestSupport.runner(redis, "ac")
			.withClassLoader(new FilteredClassLoader("org.springframework.session.data.redis."))
			.run((context) -> assertThat(context).doesNotHaveBean(SessionRepository.class));
	}

	@Test
	void rejectsBadValuesNamingTheProperty() {
		SessionTestSupport.runner(redis, "ac", "redis-patterns.session.max-per-user=-1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.session.max-per-user"));
		SessionTestSupport.runner(redis, "ac", "redis-patterns.session.touch-interval=45m")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.session.touch-interval"));
		SessionTestSupport.runner(redis, "ac", "redis-patterns.session.allowed-types=com.example.{bad}")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.session.allowed-types"));
		SessionTestSupport.runner(redis, "ac", "redis-patterns.session.trusted-proxies=10.0.0.0/8,10.0.0.0/40")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.session.trusted-proxies")
				.hasMessageContaining("10.0.0.0/40"));
	}

	@Test
	void rejectsSpringSessionRedisPropertiesItCannotHonourNamingThem() {
		for (String property : new String[] { "spring.session.data.redis.namespace=spring:session",
				"spring.session.data.redis.cleanup-cron=0 * * * * *",
				"spring.session.data.redis.configure-action=none", "spring.session.data.redis.repository-type=bogus",
				"spring.session.data.redis.name-space=typo" }) {
			String name = property.substring(0, property.indexOf('='));
			SessionTestSupport.runner(redis, "ac", property)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidRedisPatternsPropertyException.class)
					.hasMessageContaining(name));
		}
	}

	@Test
	void honoursTheSpringSessionRedisPropertiesItCan() {
		SessionTestSupport
			.runner(redis, "ac", "spring.session.timeout=7m", "spring.session.data.redis.flush-mode=immediate",
					"spring.session.data.redis.save-mode=always", "spring.session.data.redis.repository-type=indexed")
			.run((context) -> {
				SessionSettings settings = context.getBean(RedisPatternsSessionRepository.class).settings();
				assertThat(settings.defaultMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(7));
				assertThat(settings.flushMode()).isEqualTo(FlushMode.IMMEDIATE);
				assertThat(settings.saveMode()).isEqualTo(SaveMode.ALWAYS);
			});
	}

}
