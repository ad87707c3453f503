package io.redispatterns.actuate.autoconfigure;

import io.redispatterns.actuate.RedisServerHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Replaces Spring Boot's {@code redis} health contributor with a {@link RedisServerHealthIndicator}
 * (bounded, PING-based, no class names). Backs off when the application defines a bean named
 * {@code redisHealthIndicator} or {@code redisHealthContributor}; keep Boot's with
 * {@code redis-patterns.health.replace-redis-indicator=false}.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class,
		beforeName = { "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration" })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnEnabledHealthIndicator("redis")
@ConditionalOnBooleanProperty(name = "redis-patterns.health.replace-redis-indicator", matchIfMissing = true)
@EnableConfigurationProperties(RedisPatternsHealthProperties.class)
public final class RedisServerHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "redisHealthIndicator", "redisHealthContributor" })
	RedisServerHealthIndicator redisHealthContributor(RedisConnectionFactory connectionFactory,
			RedisPatternsHealthProperties properties) {
		return new RedisServerHealthIndicator(connectionFactory,
				RedisPatternsHealthAutoConfiguration.timeout(properties));
	}

}
