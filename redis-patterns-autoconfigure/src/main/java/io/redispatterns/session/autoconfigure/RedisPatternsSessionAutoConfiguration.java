package io.redispatterns.session.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.ClientAddressResolver;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.crypto.ValueEncryptor;
import io.redispatterns.crypto.autoconfigure.EncryptionAutoConfiguration;
import io.redispatterns.session.SessionAttributeCodec;
import io.redispatterns.session.SessionMetrics;
import io.redispatterns.session.SessionSettings;
import io.redispatterns.session.internal.AttributeEncryption;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * Provides Spring Session's {@link SessionRepository} as a {@link RedisPatternsSessionRepository}
 * when {@code spring-session-data-redis} is on the classpath, unless the application defines one.
 * <p>
 * Spring Boot's {@code spring-boot-session-data-redis} module is not needed, and backs off when
 * present because this runs first. {@code spring.session.timeout} (falling back to
 * {@code server.servlet.session.timeout}), {@code spring.session.data.redis.flush-mode} and
 * {@code spring.session.data.redis.save-mode} are read with their usual meaning, and
 * {@code spring.session.data.redis.repository-type} is accepted with either value; the other
 * {@code spring.session.data.redis.*} properties ({@code namespace}, {@code cleanup-cron},
 * {@code configure-action}) fail start-up with a message naming them: keys live under
 * {@code redis-patterns.key-prefix}, sessions expire with their hash and no keyspace notifications
 * are needed. {@link SessionIntegrationAutoConfiguration} wires the
 * repository into Spring Session's filter, Spring Security and Actuator.
 */
@AutoConfiguration(after = { RedisPatternsAutoConfiguration.class, EncryptionAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" },
		beforeName = { "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
				"org.springframework.boot.session.autoconfigure.SessionsEndpointAutoConfiguration",
				"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
@ConditionalOnClass(value = { Session.class, JsonMapper.class, StringRedisTemplate.class },
		name = "org.springframework.session.data.redis.RedisSessionRepository")
@ConditionalOnBean({ RedisConnectionFactory.class, RedisKeys.class, JsonCodec.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.session.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisPatternsSessionProperties.class)
public final class RedisPatternsSessionAutoConfiguration {

	private static final String PREFIX = "redis-patterns.session.";

	static final String TRUSTED_PROXIES = PREFIX + "trusted-proxies";

	static final String ENCRYPTED_ATTRIBUTES = PREFIX + "encrypted-attributes";

	private static final String SPRING_SESSION_REDIS = "spring.session.data.redis";

	@Bean
	@ConditionalOnMissingBean
	SessionAttributeCodec redisPatternsSessionAttributeCodec(JsonCodec jsonCodec, RedisPatternsSessionProperties properties,
			ResourceLoader resourceLoader) {
		try {
			return SessionAttributeCodec.create(jsonCodec.mapper(), properties.getAllowedTypes(),
					resourceLoader.getClassLoader());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "allowed-types", properties.getAllowedTypes(),
					"class names or package prefixes ending in '.' or '.*'");
		}
	}

	@Bean
	SessionEventCounts redisPatternsSessionEventCounts() {
		return new SessionEventCounts();
	}

	@Bean
	@ConditionalOnMissingBean(SessionRepository.class)
	RedisPatternsSessionRepository redisPatternsSessionRepository(RedisConnectionFactory connectionFactory, RedisKeys keys,
			SessionAttributeCodec codec, RedisPatternsSessionProperties properties, Environment environment,
			ObjectProvider<SessionMetrics> metrics, SessionEventCounts counts, ObjectProvider<ValueEncryptor> encryptor) {
		StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
		return new RedisPatternsSessionRepository(template, keys, codec, settings(properties, environment),
				counts.counting(metrics.getIfAvailable(() -> SessionMetrics.NONE)), Clock.systemUTC(),
				encryption(properties.getEncryptedAttributes(), encryptor.getIfAvailable()));
	}

	/**
	 * The encrypted attributes; naming some without keys (no {@code redis-patterns.encryption.*}, no
	 * {@code KeyProvider} bean) fails start-up naming the property rather than storing them in clear.
	 */
	static @Nullable AttributeEncryption encryption(List<String> names, @Nullable ValueEncryptor encryptor) {
		if (names.isEmpty()) {
			return null;
		}
		if (names.stream().anyMatch(String::isBlank)) {
			throw new InvalidRedisPatternsPropertyException(ENCRYPTED_ATTRIBUTES, names, "attribute names, none blank");
		}
		if (encryptor == null) {
			throw new InvalidRedisPatternsPropertyException(ENCRYPTED_ATTRIBUTES, names,
					"attribute names once encryption keys exist: set redis-patterns.encryption.keys.<id> and "
							+ "redis-patterns.encryption.active-key, or define a KeyProvider bean");
		}
		return new AttributeEncryption(encryptor, Set.copyOf(names));
	}

	static SessionSettings settings(RedisPatternsSessionProperties properties, Environment environment) {
		Binder binder = Binder.get(environment);
		Duration timeout = binder.bind("spring.session.timeout", Duration.class)
			.orElseGet(() -> binder.bind("server.servlet.session.timeout", Duration.class)
				.orElse(SessionSettings.defaults().defaultMaxInactiveInterval()));
		if (timeout.isNegative() || timeout.isZero()) {
			throw new InvalidRedisPatternsPropertyException("spring.session.timeout", timeout, "a positive duration");
		}
		rejectSpringSessionOnlyProperties(binder);
		FlushMode flushMode = binder.bind("spring.session.data.redis.flush-mode", Bindable.of(FlushMode.class))
			.orElse(FlushMode.ON_SAVE);
		SaveMode saveMode = binder.bind("spring.session.data.redis.save-mode", Bindable.of(SaveMode.class))
			.orElse(SaveMode.ON_SET_ATTRIBUTE);
		Integer maxPerUser = properties.getMaxPerUser();
		if (maxPerUser != null && maxPerUser < 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "max-per-user", maxPerUser,
					"a positive number, or unset for unlimited");
		}
		Duration absolute = properties.getAbsoluteTimeout();
		if (absolute != null && (absolute.isNegative() || absolute.isZero())) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "absolute-timeout", absolute,
					"a positive duration, or unset for none");
		}
		Duration touch = properties.getTouchInterval();
		if (touch.isNegative() || touch.compareTo(timeout) >= 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "touch-interval", touch,
					"a duration from 0 up to (not including) the session timeout " + timeout);
		}
		// validated here so that a bad list fails start-up in every application, web or not
		ClientAddressResolver.forProperty(TRUSTED_PROXIES, properties.getTrustedProxies());
		return new SessionSettings(timeout, flushMode, saveMode, (maxPerUser != null) ? maxPerUser : 0, absolute, touch);
	}

	/**
	 * Fails start-up on the {@code spring.session.data.redis.*} properties that Spring Session's own
	 * repository honours and this one cannot, rather than ignoring them silently: an application that
	 * set them expects them to matter. {@code flush-mode} and {@code save-mode} are honoured, and
	 * {@code repository-type} is accepted with either value (this repository is always indexed).
	 */
	static void rejectSpringSessionOnlyProperties(Binder binder) {
		Map<String, Object> redisSession = binder
			.bind(SPRING_SESSION_REDIS, Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (Map.Entry<String, Object> entry : redisSession.entrySet()) {
			String property = SPRING_SESSION_REDIS + "." + entry.getKey();
			// relaxed binding: cleanup-cron, cleanupCron and cleanup_cron are one property
			String name = entry.getKey().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
			String allowed = switch (name) {
				case "flushmode", "savemode", "repositorytype" -> null;
				case "namespace" -> "unset: redis-patterns sessions live under redis-patterns.key-prefix "
						+ "(<prefix>:session:...); set that property instead";
				case "cleanupcron" -> "unset: redis-patterns sessions expire with their Redis hash, "
						+ "no clean-up job runs";
				case "configureaction" -> "unset: redis-patterns sessions need no keyspace notifications "
						+ "and never run CONFIG";
				default -> "unset: it is not a property of Spring Session's Redis support "
						+ "(flush-mode, save-mode and repository-type are honoured)";
			};
			if (allowed != null) {
				throw new InvalidRedisPatternsPropertyException(property, entry.getValue(), allowed);
			}
		}
		binder.bind(SPRING_SESSION_REDIS + ".repository-type", String.class).ifBound((type) -> {
			String normalized = type.trim().toLowerCase(Locale.ROOT);
			if (!normalized.equals("default") && !normalized.equals("indexed")) {
				throw new InvalidRedisPatternsPropertyException(SPRING_SESSION_REDIS + ".repository-type", type,
						"'default' or 'indexed' (both are served by the indexed redis-patterns repository)");
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class SessionMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionMetrics redisPatternsSessionMetrics(MeterRegistry registry, RedisPatternsSessionProperties properties) {
			return new MicrometerSessionMetrics(registry, properties.getEncryptedAttributes());
		}

	}

}
