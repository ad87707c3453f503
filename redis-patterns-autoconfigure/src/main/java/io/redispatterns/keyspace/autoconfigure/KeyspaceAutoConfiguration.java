package io.redispatterns.keyspace.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.keyspace.KeyspaceAnalyzer;
import io.redispatterns.keyspace.KeyspaceScanOptions;
import io.redispatterns.keyspace.KeyspaceTtlGauge;
import io.redispatterns.keyspace.internal.KeyspaceEndpointSection;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of keyspace analysis: the {@link KeyspaceAnalyzer} bean, the {@code keyspace}
 * section of the {@code redispatterns} endpoint ({@code /actuator/redispatterns/keyspace}) and the
 * gauge of keys without a TTL under the library's prefix. Turn it off with
 * {@code redis-patterns.keyspace.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(LettuceConnectionFactory.class)
@ConditionalOnBean({ LettuceConnectionFactory.class, RedisKeys.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.keyspace.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KeyspaceProperties.class)
public final class KeyspaceAutoConfiguration {

	static final String PREFIX = "redis-patterns.keyspace.";

	@Bean
	@ConditionalOnMissingBean
	KeyspaceAnalyzer redisPatternsKeyspaceAnalyzer(LettuceConnectionFactory connectionFactory, RedisKeys keys,
			KeyspaceProperties properties) {
		return new KeyspaceAnalyzer(connectionFactory, keys, options(properties));
	}

	static KeyspaceScanOptions options(KeyspaceProperties properties) {
		atLeast(properties.getGroupSegments(), 1, "group-segments");
		atLeast(properties.getScanCount(), 1, "scan-count");
		atLeast(properties.getMaxKeys(), 1, "max-keys");
		atLeast(properties.getSamplePerGroup(), 0, "sample-per-group");
		atLeast(properties.getLargestKeys(), 0, "largest-keys");
		atLeast(properties.getMaxGroups(), 1, "max-groups");
		if (properties.getTimeLimit() == null || properties.getTimeLimit().toMillis() < 1) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "time-limit", properties.getTimeLimit(),
					"a duration of at least 1ms");
		}
		if (properties.getMatch() == null || properties.getMatch().isBlank()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "match", properties.getMatch(),
					"a SCAN MATCH pattern such as * or <prefix>:*");
		}
		return new KeyspaceScanOptions(properties.getMatch(), properties.getGroupSegments(), properties.getScanCount(),
				properties.getMaxKeys(), properties.getTimeLimit(), properties.getSamplePerGroup(),
				properties.getLargestKeys(), properties.getMaxGroups());
	}

	private static void atLeast(long value, long minimum, String property) {
		if (value < minimum) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + property, value, minimum + " or more");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBooleanProperty(name = "redis-patterns.keyspace.ttl-gauge.enabled", matchIfMissing = true)
	static class KeyspaceGaugeConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		KeyspaceTtlGauge redisPatternsKeyspaceTtlGauge(KeyspaceAnalyzer analyzer, MeterRegistry registry,
				KeyspaceProperties properties) {
			if (properties.getTtlGauge().getInterval() == null || properties.getTtlGauge().getInterval().toMillis() < 1) {
				throw new InvalidRedisPatternsPropertyException(PREFIX + "ttl-gauge.interval",
						properties.getTtlGauge().getInterval(), "a duration of at least 1ms");
			}
			return new KeyspaceTtlGauge(analyzer, registry, properties.getTtlGauge().getInterval());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	static class KeyspaceEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		KeyspaceEndpointSection redisPatternsKeyspaceEndpointSection(KeyspaceAnalyzer analyzer,
				KeyspaceProperties properties) {
			return new KeyspaceEndpointSection(analyzer, properties.isRevealKeyNames());
		}

	}

}
