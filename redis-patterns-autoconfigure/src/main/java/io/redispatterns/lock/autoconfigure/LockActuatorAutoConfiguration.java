package io.redispatterns.lock.autoconfigure;

import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.internal.LockEndpointDetails;
import io.redispatterns.lock.internal.LockHealthDetails;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Adds the {@code lock} sections to the {@code redisPatterns} health contributor and the
 * {@code redispatterns} endpoint when Actuator is present.
 */
@AutoConfiguration(after = LockAutoConfiguration.class)
@ConditionalOnBean(LockTemplate.class)
public final class LockActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.Health")
	static class LockHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LockHealthDetails redisPatternsLockHealthDetails(LockTemplate template) {
			return new LockHealthDetails(template);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	static class LockEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LockEndpointDetails redisPatternsLockEndpointDetails(LockTemplate template, StringRedisTemplate redis) {
			return new LockEndpointDetails(template, redis);
		}

	}

}
