package io.redispatterns.pubsub.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.pubsub.PubSubPublisher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.annotation.EnableRedisListeners;
import org.springframework.data.redis.config.AbstractRedisListenerEndpoint;
import org.springframework.data.redis.config.RedisListenerConfigurer;
import org.springframework.data.redis.config.RedisListenerEndpointRegistry;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisMessageConverters;

/**
 * Auto-configuration of redis-patterns pub/sub: the {@link PubSubPublisher}, the
 * {@code ${redis-patterns.pubsub.channel-prefix}} placeholder for {@code @RedisListener} topics, and JSON
 * decoding of {@code @RedisListener} payloads with the application's {@link JsonCodec}. The listener container
 * and the {@code @RedisListener} support itself are Spring Boot's ({@code DataRedisAutoConfiguration}). Turn it
 * off with {@code redis-patterns.pubsub.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnBean({ RedisKeys.class, JsonCodec.class, StringRedisTemplate.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.pubsub.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PubSubProperties.class)
public final class PubSubAutoConfiguration {

	@Bean
	static BeanFactoryPostProcessor redisPatternsChannelPrefix(Environment environment) {
		return (beanFactory) -> {
			if (environment instanceof ConfigurableEnvironment configurable
					&& !configurable.getPropertySources().contains(ChannelPrefixPropertySource.NAME)) {
				configurable.getPropertySources().addLast(new ChannelPrefixPropertySource(beanFactory));
			}
		};
	}

	/** Lets the application start while Redis is unreachable; see {@link RedisListenerContainerStarter}. */
	@Bean
	static RedisListenerContainerStarter redisPatternsRedisListenerContainerStarter(Environment environment) {
		String property = "redis-patterns.pubsub.reconnect.max";
		Duration interval = Binder.get(environment)
			.bind("redis-patterns.pubsub", PubSubProperties.class)
			.orElseGet(PubSubProperties::new)
			.getReconnect()
			.getMax();
		if (interval.isNegative() || interval.isZero()) {
			throw new InvalidRedisPatternsPropertyException(property, interval, "a positive duration");
		}
		return new RedisListenerContainerStarter(interval);
	}

	@Bean
	@ConditionalOnMissingBean
	PubSubPublisher redisPatternsPubSubPublisher(StringRedisTemplate redis, RedisKeys keys, JsonCodec codec,
			ObjectProvider<PubSubMetrics> metrics) {
		return new DefaultPubSubPublisher(redis, keys, codec, metrics.getIfAvailable(() -> PubSubMetrics.NONE));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ EnableRedisListeners.class, org.springframework.messaging.Message.class })
	static class RedisListenerConfiguration {

		@Bean
		RedisListenerConfigurer redisPatternsRedisListenerConfigurer(JsonCodec codec, RedisKeys keys,
				ObjectProvider<PubSubMetrics> metrics) {
			JsonCodecMessageConverter converter = new JsonCodecMessageConverter(codec, keys,
					metrics.getIfAvailable(() -> PubSubMetrics.NONE));
			return new RedisListenerConfigurer() {

				@Override
				public void configureMessageConverters(RedisMessageConverters.Builder builder) {
					builder.addCustomConverter(converter);
				}

			};
		}

		/**
		 * Registers the {@code received} meter of every {@code @RedisListener} channel at zero once the context is
		 * refreshed (the endpoints are registered when the singletons are), with the tag a message will carry.
		 */
		@Bean
		ApplicationListener<ContextRefreshedEvent> redisPatternsPubSubMeterRegistration(RedisKeys keys,
				ObjectProvider<PubSubMetrics> metrics, ObjectProvider<RedisListenerEndpointRegistry> registries) {
			String channelPrefix = keys.namespace(DefaultPubSubPublisher.PATTERN);
			return (event) -> metrics.ifAvailable((pubSubMetrics) -> registries.orderedStream()
				.flatMap((registry) -> registry.getEndpoints().stream())
				.filter(AbstractRedisListenerEndpoint.class::isInstance)
				.map((endpoint) -> ((AbstractRedisListenerEndpoint) endpoint).getTopic())
				.filter(Objects::nonNull)
				.forEach((topic) -> pubSubMetrics
					.register(JsonCodecMessageConverter.withoutPrefix(topic, channelPrefix))));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Health.class)
	static class HealthConfiguration {

		/**
		 * {@code pubsub} in the {@code redisPatterns} health: {@code DOWN} while a listener container waits for
		 * Redis to subscribe.
		 */
		@Bean
		PatternHealthDetails redisPatternsPubSubHealthDetails(RedisListenerContainerStarter starter) {
			return new PatternHealthDetails() {

				@Override
				public String patternName() {
					return "pubsub";
				}

				@Override
				public Health health() {
					Map<String, Boolean> subscribed = starter.subscribed();
					Map<String, Object> containers = new LinkedHashMap<>();
					subscribed.forEach((name, done) -> containers.put(name, done ? "subscribed" : "waiting for Redis"));
					Health.Builder health = subscribed.containsValue(false) ? Health.down() : Health.up();
					return health.withDetail("listenerContainers", containers).build();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	static class EndpointConfiguration {

		/** {@code pubsub} in the {@code redispatterns} endpoint. */
		@Bean
		PatternEndpointDetails redisPatternsPubSubEndpointDetails(RedisListenerContainerStarter starter, RedisKeys keys,
				ObjectProvider<RedisListenerEndpointRegistry> registries) {
			return new PubSubEndpointDetails(starter, keys, registries);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PubSubMetrics redisPatternsPubSubMetrics(MeterRegistry registry) {
			return new MicrometerPubSubMetrics(registry);
		}

	}

}
