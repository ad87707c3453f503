package io.redispatterns.session;

import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.session.autoconfigure.RedisPatternsSessionAutoConfiguration;
import io.redispatterns.session.autoconfigure.SessionIntegrationAutoConfiguration;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.RedisDeployment;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.session.FindByIndexNameSessionRepository;

/**
 * Builds application contexts with the session auto-configuration against a real Redis, each
 * test with its own key prefix.
 */
final class SessionTestSupport {

	private SessionTestSupport() {
	}

	static String uniquePrefix() {
		return "t" + UUID.randomUUID().toString().substring(0, 8);
	}

	static ApplicationContextRunner runner(RedisDeployment redis, String prefix, String... properties) {
		return runner(redis::connectionDetails, prefix, properties);
	}

	static ApplicationContextRunner runner(Supplier<DataRedisConnectionDetails> connection, String prefix,
			String... properties) {
		return new ApplicationContextRunner().withBean(DataRedisConnectionDetails.class, connection)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RedisPatternsSessionAutoConfiguration.class,
					SessionIntegrationAutoConfiguration.class))
			.withPropertyValues("redis-patterns.key-prefix=" + prefix,
					"redis-patterns.session.allowed-types=io.redispatterns.session.")
			.withPropertyValues(properties);
	}

	static void run(ApplicationContextRunner runner, Consumer<Fixture> test) {
		runner.run((context) -> {
			if (context.getStartupFailure() != null) {
				throw new AssertionError(context.getStartupFailure());
			}
			test.accept(new Fixture(context));
		});
	}

	/** What a test uses from the context. */
	static final class Fixture {

		final AssertableApplicationContext context;

		final RedisPatternsSessionRepository repository;

		final UserSessions userSessions;

		final StringRedisTemplate redis;

		final MeterRegistry meters;

		Fixture(AssertableApplicationContext context) {
			this.context = context;
			this.repository = context.getBean(RedisPatternsSessionRepository.class);
			this.userSessions = context.getBean(UserSessions.class);
			this.redis = context.getBean(StringRedisTemplate.class);
			this.meters = context.getBean(MeterRegistry.class);
		}

		RedisPatternsSessionRepository.RedisPatternsSession login(String principal) {
			// recency is kept in milliseconds: two logins within one millisecond would tie for eviction
			long now = System.currentTimeMillis();
			while (System.currentTimeMillis() <= now) {
				Thread.onSpinWait();
			}
			RedisPatternsSessionRepository.RedisPatternsSession session = this.repository.createSession();
			session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, principal);
			this.repository.save(session);
			return session;
		}

		double revocations(RevocationReason reason) {
			return this.meters.counter("redis.patterns.session.revocations", "reason", reason.tag()).count();
		}

		double decodeFailures() {
			return this.meters.counter("redis.patterns.session.decode-failures").count();
		}

	}

}
