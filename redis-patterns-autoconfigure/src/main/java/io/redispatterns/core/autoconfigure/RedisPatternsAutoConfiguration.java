package io.redispatterns.core.autoconfigure;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisServerTime;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the building blocks every pattern uses: the {@link RedisKeys} key
 * builder, the {@link JsonCodec} and the {@link RedisServerTime} reader.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@EnableConfigurationProperties(RedisPatternsProperties.class)
public final class RedisPatternsAutoConfiguration {

	static final String KEY_PREFIX_PROPERTY = "redis-patterns.key-prefix";

	@Bean
	@ConditionalOnMissingBean
	RedisKeys redisPatternsKeys(RedisPatternsProperties properties, Environment environment) {
		String configured = properties.getKeyPrefix();
		if (configured == null) {
			String applicationName = environment.getProperty("spring.application.name");
			return new RedisKeys((applicationName != null) ? RedisKeys.sanitizePrefix(applicationName) : "app");
		}
		if (RedisKeys.validatePrefix(configured) != null) {
			throw new InvalidRedisPatternsPropertyException(KEY_PREFIX_PROPERTY, configured,
					"1 to 64 characters of letters, digits, '.', '_', '-', '/', '=', '+', '@' and ':'");
		}
		return new RedisKeys(configured);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisServerTime redisPatternsServerTime(RedisConnectionFactory connectionFactory) {
		return new RedisServerTime(connectionFactory);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JsonCodecConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JsonCodec redisPatternsJsonCodec(ObjectProvider<JsonMapper> jsonMapper) {
			return new JsonCodec(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
		}

	}

}
