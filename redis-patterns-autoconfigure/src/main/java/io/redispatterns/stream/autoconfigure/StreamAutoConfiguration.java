package io.redispatterns.stream.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LettuceCommandTimeout;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.stream.StreamDeadLetters;
import io.redispatterns.stream.StreamPublisher;
import io.redispatterns.stream.internal.DefaultStreamDeadLetters;
import io.redispatterns.stream.internal.DefaultStreamPublisher;
import io.redispatterns.stream.internal.ListenerSettings;
import io.redispatterns.stream.internal.RedisStreamListenerBeanPostProcessor;
import io.redispatterns.stream.internal.RedisStreamListenerBeanPostProcessor.StreamListenerFactory;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.stream.internal.StreamListenerContainer;
import io.redispatterns.stream.internal.StreamListenerRegistry;
import io.redispatterns.stream.internal.StreamMetrics;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Auto-configuration of redis-patterns streams: the {@link StreamPublisher}, {@link StreamDeadLetters} and a
 * listener container for every {@link io.redispatterns.stream.RedisStreamListener @RedisStreamListener} method.
 * Turn it off with {@code redis-patterns.stream.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnBean({ RedisKeys.class, JsonCodec.class, RedisConnectionFactory.class, StringRedisTemplate.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.stream.enabled", matchIfMissing = true)
@EnableConfigurationProperties(StreamProperties.class)
@Import({ StreamAutoConfiguration.MetricsConfiguration.class, StreamActuatorConfiguration.class })
public final class StreamAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StreamKeys redisPatternsStreamKeys(RedisKeys keys, StreamProperties properties) {
		StreamListenerSettingsResolver.validate(properties);
		return new StreamKeys(keys, properties.getDeadLetterSuffix());
	}

	@Bean
	StreamListenerSettingsResolver redisPatternsStreamSettings(StreamProperties properties, Environment environment,
			RedisConnectionFactory connectionFactory) {
		return new StreamListenerSettingsResolver(properties, Threading.VIRTUAL.isActive(environment),
				LettuceCommandTimeout.of(connectionFactory));
	}

	@Bean
	@ConditionalOnMissingBean
	StreamPublisher redisPatternsStreamPublisher(StringRedisTemplate redis, StreamKeys keys, JsonCodec codec,
			StreamProperties properties, StreamListenerSettingsResolver settings,
			ObjectProvider<StreamMetrics> metrics) {
		// without replay-safe publishing, a publish without an idempotency key is one plain XADD
		Duration generatedKeyWindow = properties.isReplaySafePublish()
				? replayWindow(properties.getReplayWindow(),
						LettuceCommandTimeout.of(redis.getRequiredConnectionFactory()))
				: Duration.ZERO;
		return new DefaultStreamPublisher(redis, keys, codec, settings::maxLength, properties.getIdempotencyWindow(),
				generatedKeyWindow, metrics.getIfAvailable(() -> StreamMetrics.NONE));
	}

	/**
	 * A client re-sends an unanswered command only until its command timeout ends it, so keeping the generated
	 * key twice that long covers every replay.
	 */
	static Duration replayWindow(Duration configured, @Nullable Duration commandTimeout) {
		if (configured.isZero() || commandTimeout == null) {
			return configured;
		}
		Duration twice = commandTimeout.multipliedBy(2);
		return (twice.compareTo(configured) > 0) ? twice : configured;
	}

	@Bean
	@ConditionalOnMissingBean
	StreamDeadLetters redisPatternsStreamDeadLetters(StringRedisTemplate redis, StreamKeys keys,
			StreamListenerSettingsResolver settings, StreamProperties properties) {
		return new DefaultStreamDeadLetters(redis, keys, settings::maxLength,
				replayWindow(properties.getReplayWindow(),
						LettuceCommandTimeout.of(redis.getRequiredConnectionFactory())));
	}

	@Bean
	@ConditionalOnMissingBean
	StreamListenerRegistry redisPatternsStreamListenerRegistry() {
		return new StreamListenerRegistry();
	}

	@Bean
	StreamListenerFactory redisPatternsStreamListenerFactory(StreamListenerRegistry registry,
			StreamListenerSettingsResolver settings, RedisConnectionFactory connectionFactory,
			StringRedisTemplate redis, StreamKeys keys, JsonCodec codec, ObjectProvider<StreamMetrics> metrics) {
		StreamMetrics streamMetrics = metrics.getIfAvailable(() -> StreamMetrics.NONE);
		return (annotation, handler, resolver) -> {
			ListenerSettings resolved = settings.resolve(annotation, handler.description(), resolver);
			boolean autoStartup = settings.autoStartup(annotation, handler.description(), resolver);
			registry.register(settings.id(annotation, resolved, resolver), autoStartup, new StreamListenerContainer(
					resolved, handler, connectionFactory, redis, keys, codec, streamMetrics));
		};
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static RedisStreamListenerBeanPostProcessor redisPatternsStreamListenerBeanPostProcessor(
			ObjectProvider<StreamListenerFactory> factory) {
		return new RedisStreamListenerBeanPostProcessor(factory);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StreamMetrics redisPatternsStreamMetrics(MeterRegistry registry) {
			return new MicrometerStreamMetrics(registry);
		}

	}

}
