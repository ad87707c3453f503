package io.redispatterns.actuate.autoconfigure;

import java.time.Duration;

import io.redispatterns.actuate.RedisPatternsHealthIndicator;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisServerTime;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Registers the {@code redisPatterns} health contributor. Turn it off with
 * {@code management.health.redis-patterns.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ RedisConnectionFactory.class, RedisKeys.class })
@ConditionalOnEnabledHealthIndicator("redis-patterns")
@EnableConfigurationProperties(RedisPatternsHealthProperties.class)
public final class RedisPatternsHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "redisPatternsHealthIndicator")
	RedisPatternsHealthIndicator redisPatternsHealthIndicator(RedisConnectionFactory connectionFactory,
			RedisKeys keys, RedisServerTime serverTime, ObjectProvider<PatternHealthDetails> patterns,
			RedisPatternsHealthProperties properties) {
		return new RedisPatternsHealthIndicator(connectionFactory, keys, serverTime,
				patterns.orderedStream().toList(), timeout(properties));
	}

	static Duration timeout(RedisPatternsHealthProperties properties) {
		Duration timeout = properties.getTimeout();
		if (timeout.isNegative() || timeout.isZero()) {
			throw new InvalidRedisPatternsPropertyException("redis-patterns.health.timeout", timeout,
					"a positive duration");
		}
		return timeout;
	}

}
