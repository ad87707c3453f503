package io.redispatterns.writebehind.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LettuceCommandTimeout;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.writebehind.WriteBehinds;
import io.redispatterns.writebehind.internal.BufferSettings;
import io.redispatterns.writebehind.internal.RedisWriteBehinds;
import io.redispatterns.writebehind.internal.WriteBehindFlushBeanPostProcessor;
import io.redispatterns.writebehind.internal.WriteBehindFlushers;
import io.redispatterns.writebehind.internal.WriteBehindKeys;
import io.redispatterns.writebehind.internal.WriteBehindMetrics;
import io.redispatterns.writebehind.internal.WriteBehindSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Auto-configuration of write-behind buffers: {@link WriteBehinds} and a flusher per
 * {@link io.redispatterns.writebehind.WriteBehindFlush @WriteBehindFlush} method. Turn it off with
 * {@code redis-patterns.write-behind.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnBean({ RedisKeys.class, JsonCodec.class, RedisConnectionFactory.class, StringRedisTemplate.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.write-behind.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WriteBehindProperties.class)
@Import({ WriteBehindAutoConfiguration.MetricsConfiguration.class, WriteBehindActuatorConfiguration.class })
public final class WriteBehindAutoConfiguration {

	private static final String PREFIX = "redis-patterns.write-behind.";

	@Bean
	@ConditionalOnMissingBean
	WriteBehindKeys redisPatternsWriteBehindKeys(RedisKeys keys) {
		return new WriteBehindKeys(keys);
	}

	@Bean
	WriteBehindSettings redisPatternsWriteBehindSettings(WriteBehindProperties properties,
			RedisConnectionFactory connectionFactory) {
		return settings(properties, LettuceCommandTimeout.of(connectionFactory));
	}

	static WriteBehindSettings settings(WriteBehindProperties p, @Nullable Duration commandTimeout) {
		positive("lease", p.getLease());
		positive("retry-delay", p.getRetryDelay());
		positive("replay-window", p.getReplayWindow());
		positive("shutdown-timeout", p.getShutdownTimeout());
		positive("dead-letter-max-length", p.getDeadLetterMaxLength());
		Duration replayWindow = p.getReplayWindow();
		if (commandTimeout != null && replayWindow.compareTo(commandTimeout.multipliedBy(2)) < 0) {
			// a write re-sent after a lost reply arrives within the command timeout (and a reconnect)
			replayWindow = commandTimeout.multipliedBy(2);
		}
		BufferSettings defaults = buffer("", p.getMaxBacklog(), p.getWhenFull(), p.getBlockTimeout(),
				p.getMaxAttempts());
		Map<String, BufferSettings> perBuffer = new LinkedHashMap<>();
		p.getBuffers().forEach((name, b) -> perBuffer.put(name, buffer("buffers." + name + ".",
				(b.getMaxBacklog() != null) ? b.getMaxBacklog() : defaults.maxBacklog(),
				(b.getWhenFull() != null) ? b.getWhenFull() : defaults.whenFull(),
				(b.getBlockTimeout() != null) ? b.getBlockTimeout() : defaults.blockTimeout(),
				(b.getMaxAttempts() != null) ? b.getMaxAttempts() : defaults.maxAttempts())));
		return new WriteBehindSettings(p.getLease(), p.getRetryDelay(), replayWindow, p.getDeadLetterMaxLength(),
				p.getShutdownTimeout(), defaults, perBuffer);
	}

	private static BufferSettings buffer(String path, long maxBacklog, io.redispatterns.writebehind.WhenFull whenFull,
			Duration blockTimeout, int maxAttempts) {
		positive(path + "max-backlog", maxBacklog);
		positive(path + "block-timeout", blockTimeout);
		positive(path + "max-attempts", maxAttempts);
		return new BufferSettings(maxBacklog, whenFull, blockTimeout, maxAttempts);
	}

	private static void positive(String property, long value) {
		if (value <= 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + property, value, "a positive number");
		}
	}

	private static void positive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + property, value, "a positive duration");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	RedisWriteBehinds redisPatternsWriteBehinds(StringRedisTemplate redis, WriteBehindKeys keys, JsonCodec codec,
			WriteBehindSettings settings, ObjectProvider<WriteBehindMetrics> metrics) {
		return new RedisWriteBehinds(redis, keys, codec, settings, metrics.getIfAvailable(() -> WriteBehindMetrics.NONE));
	}

	@Bean(destroyMethod = "destroy")
	@ConditionalOnMissingBean
	WriteBehindFlushers redisPatternsWriteBehindFlushers(RedisWriteBehinds buffers) {
		return new WriteBehindFlushers(buffers);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static WriteBehindFlushBeanPostProcessor redisPatternsWriteBehindFlushBeanPostProcessor(
			ObjectProvider<WriteBehindFlushers> flushers) {
		return new WriteBehindFlushBeanPostProcessor(flushers);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WriteBehindMetrics redisPatternsWriteBehindMetrics(MeterRegistry registry) {
			return new MicrometerWriteBehindMetrics(registry);
		}

	}

}
