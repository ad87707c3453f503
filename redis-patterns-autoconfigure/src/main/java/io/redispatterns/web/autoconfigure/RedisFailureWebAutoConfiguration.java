package io.redispatterns.web.autoconfigure;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.web.RedisFailureExceptionResolver;
import io.redispatterns.web.RedisFailureProblems;
import io.redispatterns.web.internal.RedisFailureFilter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers Redis faults of a Spring MVC application with RFC 9457 problems: {@code 503} with
 * {@code Retry-After} when Redis is unavailable (nothing applied), {@code 504} when the outcome
 * is unknown. Covers handlers (a {@link HandlerExceptionResolver} after Spring MVC's own, so an
 * application's {@code @ExceptionHandler} wins) and servlet filters such as Spring Session's (a
 * filter ahead of them). Each bean backs off when the application defines one of its type; turn
 * everything off with {@code redis-patterns.web.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ HandlerExceptionResolver.class, RedisConnectionFactory.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisFailureWebProperties.class)
public final class RedisFailureWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisFailureProblems redisPatternsRedisFailureProblems(RedisFailureWebProperties properties) {
		if (properties.getRetryAfter().isNegative() || properties.getRetryAfter().isZero()) {
			throw new InvalidRedisPatternsPropertyException("redis-patterns.web.retry-after",
					properties.getRetryAfter(), "a positive duration");
		}
		return new RedisFailureProblems(properties.getRetryAfter());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisFailureExceptionResolver redisPatternsRedisFailureExceptionResolver(RedisFailureProblems problems) {
		return new RedisFailureExceptionResolver(problems);
	}

	@Bean
	@ConditionalOnMissingBean(name = "redisPatternsRedisFailureFilterRegistration")
	FilterRegistrationBean<RedisFailureFilter> redisPatternsRedisFailureFilterRegistration(RedisFailureProblems problems) {
		FilterRegistrationBean<RedisFailureFilter> registration = new FilterRegistrationBean<>(
				new RedisFailureFilter(problems));
		registration.setOrder(RedisFailureFilter.ORDER);
		return registration;
	}

}
