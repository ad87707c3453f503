package io.redispatterns.lock.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.LockMetrics;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.internal.DistributedLockBeanPostProcessor;
import io.redispatterns.lock.internal.LockTemplateLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Auto-configuration of distributed locks: the {@link LockTemplate} bean, the
 * {@code @DistributedLock} post-processor, Micrometer metrics (when Micrometer is present) and the
 * Actuator sections (when Actuator is present). Turn it off with
 * {@code redis-patterns.lock.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBean({ RedisKeys.class, StringRedisTemplate.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.lock.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LockProperties.class)
public final class LockAutoConfiguration {

	static final String PREFIX = "redis-patterns.lock.";

	@Bean
	@ConditionalOnMissingBean
	LockTemplate redisPatternsLockTemplate(StringRedisTemplate redisTemplate, RedisKeys keys,
			LockProperties properties, ObjectProvider<LockMetrics> metrics, ApplicationEventPublisher events) {
		validate(properties);
		return LockTemplate.builder(redisTemplate, keys)
			.defaultLease(properties.getLease())
			.defaultWait(properties.getWaitFor())
			.fallbackPoll(properties.getFallbackPoll())
			.watchdog(properties.getWatchdog().isEnabled())
			.watchdogThreads(properties.getWatchdog().getThreads())
			.waitForReplicas(properties.getWaitForReplicas(), properties.getWaitForReplicasTimeout())
			.metrics(metrics.getIfAvailable(() -> LockMetrics.NONE))
			.eventPublisher(events)
			.build();
	}

	/** Closes the lock template's connections before the connection factory stops. */
	@Bean
	LockTemplateLifecycle redisPatternsLockTemplateLifecycle(ObjectProvider<LockTemplate> template) {
		return new LockTemplateLifecycle(template::getIfUnique);
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static DistributedLockBeanPostProcessor redisPatternsDistributedLockBeanPostProcessor() {
		return new DistributedLockBeanPostProcessor();
	}

	static void validate(LockProperties properties) {
		requireAtLeast(properties.getLease(), "lease", Duration.ofMillis(1), "a duration of at least 1ms");
		if (properties.getWaitFor() == null || properties.getWaitFor().isNegative()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "wait-for", properties.getWaitFor(),
					"a duration of 0 or more");
		}
		requireAtLeast(properties.getFallbackPoll(), "fallback-poll", Duration.ofMillis(1), "a duration of at least 1ms");
		if (properties.getWaitForReplicas() < 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "wait-for-replicas",
					properties.getWaitForReplicas(), "0 (do not wait) or a positive number of replicas");
		}
		requireAtLeast(properties.getWaitForReplicasTimeout(), "wait-for-replicas-timeout", Duration.ofMillis(1),
				"a duration of at least 1ms");
		if (properties.getWatchdog().getThreads() < 1) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "watchdog.threads",
					properties.getWatchdog().getThreads(), "a number of threads of at least 1");
		}
	}

	private static void requireAtLeast(Duration value, String property, Duration minimum, String allowed) {
		if (value == null || value.compareTo(minimum) < 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + property, value, allowed);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class LockMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		LockMetrics redisPatternsLockMetrics(MeterRegistry registry) {
			return new MicrometerLockMetrics(registry);
		}

	}

}
